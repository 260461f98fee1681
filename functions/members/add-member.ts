import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/members/operations.js';
import { addMember } from '../../shared/members/add-member.js';
import { addMemberStore } from '../../shared/members/add-member-store.js';
import { membershipView } from '../../shared/members/membership.js';

/** POST /v1/orgs/{orgId}/members: add a person without mail; 201. */
export const handler = operationHandler(operations.addMember, async ({ params, body, caller, audit, deps }) => {
  const member = await addMember({ members: addMemberStore(deps.db) }, caller.org, body, caller.membership, audit);
  return {
    status: 201,
    body: membershipView(member),
    headers: { location: `/v1/orgs/${params.orgId}/members/${member.userId}` },
  };
});
