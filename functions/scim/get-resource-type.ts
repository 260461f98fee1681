import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/scim/operations.js';
import { scimBaseUrl } from '../../shared/http/scim-base-url.js';
import { resourceType } from '../../shared/scim/discovery.js';

/** GET /scim/v2/ResourceTypes/{id}: User or Group (RFC 7644 §4); SCIM 404 for any other. */
export const handler = operationHandler(operations.getResourceType, async ({ params, event }) => ({
  status: 200,
  body: resourceType(scimBaseUrl(event), params.id),
}));
