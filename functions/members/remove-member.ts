import { httpHandler } from '../../shared/http/handler.js';
import { identity } from '../../shared/identity/identity.js';
import { removeMember } from '../../shared/members/remove-member.js';
import { memberPathParams } from '../../shared/members/schemas.js';

/** DELETE /v1/orgs/{orgId}/members/{userId}: remove; the seat is freed, history kept; 204. */
export const handler = httpHandler(
  { auth: { kind: 'orgMember', permission: 'members:manage' }, params: memberPathParams },
  async ({ params, caller, db, audit }) => {
    await removeMember({ db, identity: identity() }, params.orgId, params.userId, caller.membership, audit);
    return { status: 204 };
  },
);
