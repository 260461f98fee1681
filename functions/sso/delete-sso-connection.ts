import { operationHandler } from '../../shared/http/handler.js';
import { identity } from '../../shared/identity/identity.js';
import { deleteSsoConnection } from '../../shared/sso/manage-connections.js';
import * as operations from '../../shared/sso/operations.js';

/** DELETE /v1/orgs/{orgId}/sso-connections/{connectionId}: 204; its identity provider goes too. */
export const handler = operationHandler(
  operations.deleteSsoConnection,
  { identity },
  async ({ params, audit, deps }) => {
    await deleteSsoConnection(deps, params.orgId, params.connectionId, audit);
    return { status: 204 };
  },
);
