import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/scim/operations.js';
import { NotFoundError } from '../../shared/errors.js';

/**
 * ANY /scim/v2/{proxy+}: a path no SCIM route serves (API Gateway picks this route last). The
 * token is checked first, like every SCIM route; then a SCIM 404 (RFC 7644 §3.12).
 */
export const handler = operationHandler(operations.unknownScimPath, async ({ event }) => {
  throw new NotFoundError(
    `No SCIM endpoint ${event.requestContext.http.method} ${event.rawPath}`,
    'scim_endpoint_not_found',
  );
});
