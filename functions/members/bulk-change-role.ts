import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/members/operations.js';
import { bulkChangeRole } from '../../shared/members/bulk-change-role.js';
import { bulkRoleStore } from '../../shared/members/bulk-role-store.js';

/** POST /v1/orgs/{orgId}/members/bulk-role: one role for many members, all or nothing. */
export const handler = operationHandler(operations.bulkChangeRole, async ({ body, caller, audit, deps }) => ({
  status: 200,
  body: await bulkChangeRole(
    { members: bulkRoleStore(deps.db) },
    caller.org,
    body.userIds,
    body.role,
    caller.membership,
    audit,
  ),
}));
