import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/join-requests/operations.js';
import { requestToJoin } from '../../shared/join-requests/join-requests.js';

/** POST /v1/orgs/{orgId}/join-requests: a signed-in person asks to join; 201. */
export const handler = operationHandler(operations.requestToJoin, async ({ caller, audit, deps }) => ({
  status: 201,
  body: await requestToJoin(deps.db, caller.org, caller.user, caller.membership, audit),
}));
