import { operationHandler } from '../../shared/http/handler.js';
import { ssoConnectionView } from '../../shared/sso/connection.js';
import { getSsoConnection } from '../../shared/sso/manage-connections.js';
import * as operations from '../../shared/sso/operations.js';

/** GET /v1/orgs/{orgId}/sso-connections/{connectionId}: one connection, never a secret. */
export const handler = operationHandler(operations.getSsoConnection, async ({ params, deps }) => ({
  status: 200,
  body: ssoConnectionView(await getSsoConnection(deps.db, params.orgId, params.connectionId)),
}));
