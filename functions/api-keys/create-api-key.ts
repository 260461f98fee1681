import { apiKeyView } from '../../shared/api-keys/api-key.js';
import { createApiKey } from '../../shared/api-keys/create-api-key.js';
import { createApiKeyBody } from '../../shared/api-keys/schemas.js';
import { httpHandler } from '../../shared/http/handler.js';
import { orgPathParams } from '../../shared/schemas.js';

/** POST /v1/orgs/{orgId}/api-keys: 201 with the key's `secret`, shown this once only. */
export const handler = httpHandler(
  { auth: { kind: 'orgMember', permission: 'org:manage' }, params: orgPathParams, body: createApiKeyBody },
  async ({ params, body, db, audit }) => {
    const { key, secret } = await createApiKey(db, params.orgId, body, audit);
    // no-store: the one answer that carries the secret must not sit in any cache.
    return {
      status: 201,
      body: { ...apiKeyView(key), secret },
      headers: { location: `/v1/orgs/${params.orgId}/api-keys/${key.keyId}`, 'cache-control': 'no-store' },
    };
  },
);
