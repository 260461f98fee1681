import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/orgs/operations.js';
import { identity } from '../../shared/identity/identity.js';
import { removeMember } from '../../shared/members/remove-member.js';
import { memberRemovalStore } from '../../shared/members/member-removal-store.js';

/**
 * DELETE /v1/me/memberships/{orgId}: the signed-in person leaves the org (any status of theirs);
 * the last-admin rule holds; audit event `member.left` in that org; 204.
 */
export const handler = operationHandler(operations.leaveOrg, { identity }, async ({ params, caller, audit, deps }) => {
  await removeMember(
    { members: memberRemovalStore(deps.db), identity: deps.identity },
    params.orgId,
    caller.userId,
    undefined,
    audit,
    undefined,
    { leaving: true },
  );
  return { status: 204 };
});
