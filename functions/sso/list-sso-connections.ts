import { operationHandler } from '../../shared/http/handler.js';
import { listSsoConnections } from '../../shared/sso/manage-connections.js';
import * as operations from '../../shared/sso/operations.js';

/** GET /v1/orgs/{orgId}/sso-connections: the org's connections, never a secret. */
export const handler = operationHandler(operations.listSsoConnections, async ({ params, query, deps }) => ({
  status: 200,
  body: await listSsoConnections(deps.db, params.orgId, query),
}));
