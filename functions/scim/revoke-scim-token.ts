import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/scim/operations.js';
import { revokeScimToken } from '../../shared/scim/scim-tokens.js';

/** DELETE /v1/orgs/{orgId}/scim-tokens/{tokenId}: revoke; refused from the next SCIM request on; 204. */
export const handler = operationHandler(operations.revokeScimToken, async ({ params, audit, deps }) => {
  await revokeScimToken(deps.db, params.orgId, params.tokenId, audit);
  return { status: 204 };
});
