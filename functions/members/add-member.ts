import { httpHandler } from '../../shared/http/handler.js';
import { addMember } from '../../shared/members/add-member.js';
import { membershipView } from '../../shared/members/membership.js';
import { addMemberBody } from '../../shared/members/schemas.js';
import { orgPathParams } from '../../shared/schemas.js';

/** POST /v1/orgs/{orgId}/members: add a person without mail; 201. */
export const handler = httpHandler(
  { auth: { kind: 'orgMember', permission: 'members:manage' }, params: orgPathParams, body: addMemberBody },
  async ({ params, body, db, audit }) => {
    const member = await addMember({ db }, params.orgId, body, audit);
    return {
      status: 201,
      body: membershipView(member),
      headers: { location: `/v1/orgs/${params.orgId}/members/${member.userId}` },
    };
  },
);
