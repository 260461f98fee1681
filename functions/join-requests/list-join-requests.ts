import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/join-requests/operations.js';
import { listJoinRequests } from '../../shared/join-requests/join-requests.js';

/** GET /v1/orgs/{orgId}/join-requests: one page by status (default pending), newest first. */
export const handler = operationHandler(operations.listJoinRequests, async ({ params, query, deps }) => ({
  status: 200,
  body: await listJoinRequests(deps.db, params.orgId, query),
}));
