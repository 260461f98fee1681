import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/orgs/operations.js';
import { orgView } from '../../shared/orgs/org.js';

/** GET /v1/orgs/{orgId}: any active member (or an operator) reads the org, settings and seats. */
export const handler = operationHandler(operations.getOrg, async ({ caller }) => {
  // Authorization already read the org with a consistent read; no second round trip.
  return { status: 200, body: orgView(caller.org) };
});
