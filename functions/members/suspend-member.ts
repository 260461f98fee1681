import { knownTarget } from '../../shared/http/authorize.js';
import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/members/operations.js';
import { identity } from '../../shared/identity/identity.js';
import { changeMemberStatus } from '../../shared/members/change-member-status.js';
import { memberStatusStore } from '../../shared/members/member-status-store.js';
import { membershipView } from '../../shared/members/membership.js';

/** POST /v1/orgs/{orgId}/members/{userId}/suspend: access to the org ends at once. */
export const handler = operationHandler(
  operations.suspendMember,
  { identity },
  async ({ params, caller, audit, deps }) => {
    const member = await changeMemberStatus(
      { members: memberStatusStore(deps.db), identity: deps.identity },
      { ...params, to: 'suspended', actor: caller.membership, known: knownTarget(caller) },
      audit,
    );
    return { status: 200, body: membershipView(member) };
  },
);
