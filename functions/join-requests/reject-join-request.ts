import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/join-requests/operations.js';
import { decideJoinRequest } from '../../shared/join-requests/join-requests.js';

/** POST /v1/orgs/{orgId}/join-requests/{requestId}/reject: the request is declined. */
export const handler = operationHandler(operations.rejectJoinRequest, async ({ params, caller, audit, deps }) => ({
  status: 200,
  body: await decideJoinRequest(
    deps.db,
    caller.org,
    params.requestId,
    { status: 'rejected' },
    caller.membership,
    audit,
  ),
}));
