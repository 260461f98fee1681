import { httpHandler } from '../../shared/http/handler.js';
import { scimTokenPathParams } from '../../shared/scim/schemas.js';
import { revokeScimToken } from '../../shared/scim/scim-tokens.js';

/** DELETE /v1/orgs/{orgId}/scim-tokens/{tokenId}: revoke; refused from the next SCIM request on; 204. */
export const handler = httpHandler(
  { auth: { kind: 'orgMember', permission: 'org:manage' }, params: scimTokenPathParams },
  async ({ params, db, audit }) => {
    await revokeScimToken(db, params.orgId, params.tokenId, audit);
    return { status: 204 };
  },
);
