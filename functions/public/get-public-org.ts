import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/api-keys/operations.js';
import { publicOrgView } from '../../shared/api-keys/public-org.js';

/** GET /api/public/v1/org: the org of the `x-api-key`, with its seats; one consistent read in all. */
export const handler = operationHandler(operations.getPublicOrg, async ({ caller }) => ({
  status: 200,
  body: publicOrgView(caller.org),
}));
