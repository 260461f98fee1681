import { config } from '../../shared/config.js';
import { httpHandler } from '../../shared/http/handler.js';
import { identity } from '../../shared/identity/identity.js';
import { membershipView } from '../../shared/members/membership.js';
import { replaceMember } from '../../shared/members/replace-member.js';
import { memberPathParams, replaceMemberBody } from '../../shared/members/schemas.js';

/** PUT /v1/orgs/{orgId}/members/{userId}: full replace of name, email, role and team. */
export const handler = httpHandler(
  { auth: { kind: 'orgMember', permission: 'members:manage' }, params: memberPathParams, body: replaceMemberBody },
  async ({ params, body, caller, db, audit }) => {
    const member = await replaceMember(
      { db, identity: identity(), appUrl: config().appUrl },
      params.orgId,
      params.userId,
      body,
      caller.membership,
      audit,
    );
    return { status: 200, body: membershipView(member) };
  },
);
