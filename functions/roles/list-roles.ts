import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/roles/operations.js';
import { listRoles } from '../../shared/roles/manage-roles.js';

/** GET /v1/orgs/{orgId}/roles: the org's roles, from the org item the authorizer read. */
export const handler = operationHandler(operations.listRoles, async ({ caller }) => ({
  status: 200,
  body: listRoles(caller.org),
}));
