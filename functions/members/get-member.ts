import { httpHandler } from '../../shared/http/handler.js';
import { getMember } from '../../shared/members/get-member.js';
import { memberPathParams } from '../../shared/members/schemas.js';
import { managingOrg } from '../../shared/users/account-management.js';

/** GET /v1/orgs/{orgId}/members/{userId}: admins, or the member themself. */
export const handler = httpHandler(
  { auth: { kind: 'orgMember', permission: 'members:manage', selfParam: 'userId' }, params: memberPathParams },
  async ({ caller, params, db }) => ({
    status: 200,
    body: await getMember(db, managingOrg(caller.org), params.userId),
  }),
);
