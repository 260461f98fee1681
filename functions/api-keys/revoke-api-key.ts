import { revokeApiKey } from '../../shared/api-keys/revoke-api-key.js';
import { apiKeyPathParams } from '../../shared/api-keys/schemas.js';
import { httpHandler } from '../../shared/http/handler.js';

/** DELETE /v1/orgs/{orgId}/api-keys/{keyId}: revoke; the key is refused from the next request on; 204. */
export const handler = httpHandler(
  { auth: { kind: 'orgMember', permission: 'org:manage' }, params: apiKeyPathParams },
  async ({ params, db, audit }) => {
    await revokeApiKey(db, params.orgId, params.keyId, audit);
    return { status: 204 };
  },
);
