import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/api-keys/operations.js';
import { listApiKeys } from '../../shared/api-keys/list-api-keys.js';

/** GET /v1/orgs/{orgId}/api-keys: one page of the org's keys, never their secrets. */
export const handler = operationHandler(operations.listApiKeys, async ({ params, query, deps }) => ({
  status: 200,
  body: await listApiKeys(deps.db, params.orgId, query),
}));
