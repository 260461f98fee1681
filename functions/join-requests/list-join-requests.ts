import { httpHandler } from '../../shared/http/handler.js';
import { listJoinRequests } from '../../shared/join-requests/join-requests.js';
import { listJoinRequestsQuery } from '../../shared/join-requests/schemas.js';
import { orgPathParams } from '../../shared/schemas.js';

/** GET /v1/orgs/{orgId}/join-requests: one page by status (default pending), newest first. */
export const handler = httpHandler(
  { auth: { kind: 'orgMember', permission: 'members:manage' }, params: orgPathParams, query: listJoinRequestsQuery },
  async ({ params, query, db }) => ({ status: 200, body: await listJoinRequests(db, params.orgId, query) }),
);
