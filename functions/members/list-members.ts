import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/members/operations.js';
import { listMembers } from '../../shared/members/list-members.js';
import { managingOrg } from '../../shared/users/account-management.js';

/** GET /v1/orgs/{orgId}/members: one page, sorted and filtered by an index built for it. */
export const handler = operationHandler(operations.listMembers, async ({ caller, query, deps }) => ({
  status: 200,
  body: await listMembers(deps.db, managingOrg(caller.org), query),
}));
