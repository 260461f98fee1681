import { httpHandler } from '../../shared/http/handler.js';
import { getMember } from '../../shared/members/get-member.js';
import { memberPathParams } from '../../shared/members/schemas.js';

/** GET /v1/orgs/{orgId}/members/{userId}: admins, or the member themself. */
export const handler = httpHandler(
  { auth: { kind: 'orgMember', permission: 'members:manage', selfParam: 'userId' }, params: memberPathParams },
  async ({ params, db }) => ({ status: 200, body: await getMember(db, params.orgId, params.userId) }),
);
