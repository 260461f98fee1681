import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/scim/operations.js';
import { listScimTokens } from '../../shared/scim/scim-tokens.js';

/** GET /v1/orgs/{orgId}/scim-tokens: one page of the org's SCIM tokens, never their secrets. */
export const handler = operationHandler(operations.listScimTokens, async ({ params, query, deps }) => ({
  status: 200,
  body: await listScimTokens(deps.db, params.orgId, query),
}));
