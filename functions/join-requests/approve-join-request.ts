import { httpHandler } from '../../shared/http/handler.js';
import { decideJoinRequest } from '../../shared/join-requests/join-requests.js';
import { joinRequestPathParams } from '../../shared/join-requests/schemas.js';

/** POST /v1/orgs/{orgId}/join-requests/{requestId}/approve: the person becomes a member (needs a seat). */
export const handler = httpHandler(
  { auth: { kind: 'orgMember', permission: 'members:manage' }, params: joinRequestPathParams },
  async ({ params, db, audit }) => ({
    status: 200,
    body: await decideJoinRequest(db, params.orgId, params.requestId, 'approved', audit),
  }),
);
