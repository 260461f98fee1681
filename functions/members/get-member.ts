import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/members/operations.js';
import { getMember } from '../../shared/members/get-member.js';
import { managingOrg } from '../../shared/users/account-management.js';

/** GET /v1/orgs/{orgId}/members/{userId}: admins, or the member themself. */
export const handler = operationHandler(operations.getMember, async ({ caller, params, deps }) => ({
  status: 200,
  body: await getMember(deps.db, managingOrg(caller.org), params.userId),
}));
