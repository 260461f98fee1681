import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/orgs/operations.js';
import { getMe } from '../../shared/me/get-me.js';

/** GET /v1/me: the signed-in user and their memberships. */
export const handler = operationHandler(operations.getMe, async ({ caller, deps }) => {
  return { status: 200, body: await getMe(deps.db, caller) };
});
