import { operationHandler } from '../../shared/http/handler.js';
import { identity } from '../../shared/identity/identity.js';
import { ssoConnectionView } from '../../shared/sso/connection.js';
import { updateSsoConnection } from '../../shared/sso/manage-connections.js';
import * as operations from '../../shared/sso/operations.js';

/** PATCH /v1/orgs/{orgId}/sso-connections/{connectionId}: change a connection; 200 with it. */
export const handler = operationHandler(
  operations.updateSsoConnection,
  { identity },
  async ({ params, body, caller, audit, deps }) => {
    const connection = await updateSsoConnection(
      deps,
      params.orgId,
      params.connectionId,
      body,
      audit,
      caller.membership,
    );
    return { status: 200, body: ssoConnectionView(connection) };
  },
);
