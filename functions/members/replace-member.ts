import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/members/operations.js';
import { config } from '../../shared/config.js';
import { identity } from '../../shared/identity/identity.js';
import { membershipView } from '../../shared/members/membership.js';
import { replaceMember } from '../../shared/members/replace-member.js';
import { replaceMemberStore } from '../../shared/members/replace-member-store.js';

/** PUT /v1/orgs/{orgId}/members/{userId}: full replace of name, email, role and team. */
export const handler = operationHandler(
  operations.replaceMember,
  { identity },
  async ({ params, body, caller, audit, deps }) => {
    const member = await replaceMember(
      { members: replaceMemberStore(deps.db, deps.identity), appUrl: config().appUrl },
      params.orgId,
      params.userId,
      body,
      caller.membership,
      audit,
      caller.org,
    );
    return { status: 200, body: membershipView(member) };
  },
);
