import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/roles/operations.js';
import { updateRole } from '../../shared/roles/manage-roles.js';

/** PUT /v1/orgs/{orgId}/roles/{key}: replace a custom role. */
export const handler = operationHandler(operations.updateRole, async ({ params, body, caller, audit, deps }) => ({
  status: 200,
  body: await updateRole(deps.db, caller.org, params.key, body, caller.membership, audit),
}));
