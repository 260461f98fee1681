import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/join-requests/operations.js';
import { decideJoinRequest } from '../../shared/join-requests/join-requests.js';

/** POST /v1/orgs/{orgId}/join-requests/{requestId}/approve: the person becomes a member with the body’s role (default member; needs a seat). */
export const handler = operationHandler(
  operations.approveJoinRequest,
  async ({ params, body, caller, audit, deps }) => ({
    status: 200,
    body: await decideJoinRequest(
      deps.db,
      caller.org,
      params.requestId,
      { status: 'approved', role: body.role },
      caller.membership,
      audit,
    ),
  }),
);
