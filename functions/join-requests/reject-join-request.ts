import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/join-requests/operations.js';
import { decideJoinRequest } from '../../shared/join-requests/join-requests.js';

/** POST /v1/orgs/{orgId}/join-requests/{requestId}/reject: the request is declined. */
export const handler = operationHandler(operations.rejectJoinRequest, async ({ params, audit, deps }) => ({
  status: 200,
  body: await decideJoinRequest(deps.db, params.orgId, params.requestId, 'rejected', audit),
}));
