import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/roles/operations.js';
import { deleteRole } from '../../shared/roles/manage-roles.js';

/** DELETE /v1/orgs/{orgId}/roles/{key}: delete a custom role nobody holds; 204. */
export const handler = operationHandler(operations.deleteRole, async ({ params, caller, audit, deps }) => {
  await deleteRole(deps.db, caller.org, params.key, audit);
  return { status: 204 };
});
