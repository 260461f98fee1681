import { publicOrgView } from '../../shared/api-keys/public-org.js';
import { httpHandler } from '../../shared/http/handler.js';

/** GET /api/public/v1/org: the org of the `x-api-key`, with its seats; one consistent read in all. */
export const handler = httpHandler({ auth: { kind: 'apiKey' } }, async ({ caller }) => ({
  status: 200,
  body: publicOrgView(caller.org),
}));
