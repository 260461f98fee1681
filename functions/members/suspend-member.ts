import { httpHandler } from '../../shared/http/handler.js';
import { identity } from '../../shared/identity/identity.js';
import { changeMemberStatus } from '../../shared/members/change-member-status.js';
import { membershipView } from '../../shared/members/membership.js';
import { memberPathParams } from '../../shared/members/schemas.js';

/** POST /v1/orgs/{orgId}/members/{userId}/suspend: access to the org ends at once. */
export const handler = httpHandler(
  { auth: { kind: 'orgMember', permission: 'members:manage' }, params: memberPathParams },
  async ({ params, caller, db, audit }) => {
    const member = await changeMemberStatus(
      { db, identity: identity() },
      { ...params, to: 'suspended', actor: caller.membership },
      audit,
    );
    return { status: 200, body: membershipView(member) };
  },
);
