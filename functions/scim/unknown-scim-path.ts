import { NotFoundError } from '../../shared/errors.js';
import { scimHandler } from '../../shared/scim/scim-handler.js';

/**
 * ANY /scim/v2/{proxy+}: a path no SCIM route serves (API Gateway picks this route last). The
 * token is checked first, like every SCIM route; then a SCIM 404 (RFC 7644 §3.12).
 */
export const handler = scimHandler({}, async ({ event }) => {
  throw new NotFoundError(
    `No SCIM endpoint ${event.requestContext.http.method} ${event.rawPath}`,
    'scim_endpoint_not_found',
  );
});
