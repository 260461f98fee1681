import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/scim/operations.js';
import { scimBaseUrl } from '../../shared/http/scim-base-url.js';
import { schema } from '../../shared/scim/discovery.js';

/** GET /scim/v2/Schemas/{id}: one schema by its URN (RFC 7644 §4); SCIM 404 for any other. */
export const handler = operationHandler(operations.getSchema, async ({ params, event }) => ({
  status: 200,
  body: schema(scimBaseUrl(event), params.id),
}));
