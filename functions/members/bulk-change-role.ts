import { httpHandler } from '../../shared/http/handler.js';
import { bulkChangeRole } from '../../shared/members/bulk-change-role.js';
import { bulkRoleBody } from '../../shared/members/schemas.js';
import { orgPathParams } from '../../shared/schemas.js';

/** POST /v1/orgs/{orgId}/members/bulk-role: one role for many members, all or nothing. */
export const handler = httpHandler(
  { auth: { kind: 'orgMember', permission: 'members:manage' }, params: orgPathParams, body: bulkRoleBody },
  async ({ params, body, caller, db, audit }) => ({
    status: 200,
    body: await bulkChangeRole(db, params.orgId, body.userIds, body.role, caller.membership, audit),
  }),
);
