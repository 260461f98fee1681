import { operationHandler } from '../../shared/http/handler.js';
import { identity } from '../../shared/identity/identity.js';
import { ssoConnectionView } from '../../shared/sso/connection.js';
import { createSsoConnection } from '../../shared/sso/manage-connections.js';
import * as operations from '../../shared/sso/operations.js';

/** POST /v1/orgs/{orgId}/sso-connections: 201 with the connection (its secret is not in it). */
export const handler = operationHandler(
  operations.createSsoConnection,
  { identity },
  async ({ params, body, caller, audit, deps }) => {
    const connection = await createSsoConnection(deps, params.orgId, body, audit, caller.membership);
    return {
      status: 201,
      body: ssoConnectionView(connection),
      headers: { location: `/v1/orgs/${params.orgId}/sso-connections/${connection.connectionId}` },
    };
  },
);
