import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/join-requests/operations.js';
import { requestToJoin } from '../../shared/join-requests/join-requests.js';

/** POST /v1/orgs/{orgId}/join-requests: a signed-in person asks to join; 202 whether or not the org exists or takes the request. */
export const handler = operationHandler(operations.requestToJoin, async ({ params, caller, audit, deps }) => {
  await requestToJoin(deps.db, params.orgId, caller.user, audit);
  return { status: 202 };
});
