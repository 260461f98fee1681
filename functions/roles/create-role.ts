import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/roles/operations.js';
import { createRole } from '../../shared/roles/manage-roles.js';

/** POST /v1/orgs/{orgId}/roles: define a role from permissions; 201. */
export const handler = operationHandler(operations.createRole, async ({ params, body, caller, audit, deps }) => ({
  status: 201,
  body: await createRole(deps.db, caller.org, body, caller.membership, audit),
  headers: { location: `/v1/orgs/${params.orgId}/roles/${body.key}` },
}));
