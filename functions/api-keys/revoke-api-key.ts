import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/api-keys/operations.js';
import { revokeApiKey } from '../../shared/api-keys/revoke-api-key.js';

/** DELETE /v1/orgs/{orgId}/api-keys/{keyId}: revoke; the key is refused from the next request on; 204. */
export const handler = operationHandler(operations.revokeApiKey, async ({ params, audit, deps }) => {
  await revokeApiKey(deps.db, params.orgId, params.keyId, audit);
  return { status: 204 };
});
