import { httpHandler } from '../../shared/http/handler.js';
import { orgView } from '../../shared/orgs/org.js';
import { orgPathParams } from '../../shared/schemas.js';

/** GET /v1/orgs/{orgId}: any active member (or an operator) reads the org, settings and seats. */
export const handler = httpHandler(
  { auth: { kind: 'orgMember', platformAdmin: true }, params: orgPathParams },
  async ({ caller }) => {
    // Authorization already read the org with a consistent read; no second round trip.
    return { status: 200, body: orgView(caller.org) };
  },
);
