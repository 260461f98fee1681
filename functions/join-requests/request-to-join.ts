import { httpHandler } from '../../shared/http/handler.js';
import { requestToJoin } from '../../shared/join-requests/join-requests.js';
import { orgPathParams } from '../../shared/schemas.js';

/** POST /v1/orgs/{orgId}/join-requests: a signed-in person asks to join; 201. */
export const handler = httpHandler(
  { auth: { kind: 'orgMember', visitor: true }, params: orgPathParams },
  async ({ caller, db, audit }) => ({
    status: 201,
    body: await requestToJoin(db, caller.org, caller.user, caller.membership, audit),
  }),
);
