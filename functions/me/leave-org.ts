import { httpHandler } from '../../shared/http/handler.js';
import { identity } from '../../shared/identity/identity.js';
import { removeMember } from '../../shared/members/remove-member.js';
import { orgPathParams } from '../../shared/schemas.js';

/**
 * DELETE /v1/me/memberships/{orgId}: the signed-in person leaves the org (any status of theirs);
 * the last-admin rule holds; audit event `member.left` in that org; 204.
 */
export const handler = httpHandler(
  { auth: { kind: 'orgMember', visitor: true }, params: orgPathParams },
  async ({ params, caller, db, audit }) => {
    await removeMember({ db, identity: identity() }, params.orgId, caller.userId, undefined, audit, undefined, {
      leaving: true,
    });
    return { status: 204 };
  },
);
