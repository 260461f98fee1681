import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/scim/operations.js';
import { scimBaseUrl } from '../../shared/http/scim-base-url.js';
import { resourceTypes } from '../../shared/scim/discovery.js';

/** GET /scim/v2/ResourceTypes: User (with the enterprise extension) and Group. */
export const handler = operationHandler(operations.listResourceTypes, async ({ event }) => ({
  status: 200,
  body: resourceTypes(scimBaseUrl(event)),
}));
