import { httpHandler } from '../../shared/http/handler.js';
import { listMembers } from '../../shared/members/list-members.js';
import { listMembersQuery } from '../../shared/members/schemas.js';
import { orgPathParams } from '../../shared/schemas.js';
import { managingOrg } from '../../shared/users/account-management.js';

/** GET /v1/orgs/{orgId}/members: one page, sorted and filtered by an index built for it. */
export const handler = httpHandler(
  { auth: { kind: 'orgMember', permission: 'members:manage' }, params: orgPathParams, query: listMembersQuery },
  async ({ caller, query, db }) => ({ status: 200, body: await listMembers(db, managingOrg(caller.org), query) }),
);
