import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/orgs/operations.js';
import { identity } from '../../shared/identity/identity.js';
import { removeMember } from '../../shared/members/remove-member.js';

/**
 * DELETE /v1/me/memberships/{orgId}: the signed-in person leaves the org (any status of theirs);
 * the last-admin rule holds; audit event `member.left` in that org; 204.
 */
export const handler = operationHandler(operations.leaveOrg, { identity }, async ({ params, caller, audit, deps }) => {
  await removeMember(deps, params.orgId, caller.userId, undefined, audit, undefined, {
    leaving: true,
  });
  return { status: 204 };
});
