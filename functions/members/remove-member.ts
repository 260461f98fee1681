import { knownTarget } from '../../shared/http/authorize.js';
import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/members/operations.js';
import { identity } from '../../shared/identity/identity.js';
import { removeMember } from '../../shared/members/remove-member.js';
import { memberRemovalStore } from '../../shared/members/member-removal-store.js';

/** DELETE /v1/orgs/{orgId}/members/{userId}: remove; the seat is freed, history kept; 204. */
export const handler = operationHandler(
  operations.removeMember,
  { identity },
  async ({ params, caller, audit, deps }) => {
    await removeMember(
      { members: memberRemovalStore(deps.db), identity: deps.identity },
      params.orgId,
      params.userId,
      caller.membership,
      audit,
      undefined,
      { known: knownTarget(caller) },
    );
    return { status: 204 };
  },
);
