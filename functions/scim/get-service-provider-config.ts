import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/scim/operations.js';
import { scimBaseUrl } from '../../shared/http/scim-base-url.js';
import { serviceProviderConfig } from '../../shared/scim/discovery.js';

/** GET /scim/v2/ServiceProviderConfig: what Roster's SCIM service supports. */
export const handler = operationHandler(operations.getServiceProviderConfig, async ({ event }) => ({
  status: 200,
  body: serviceProviderConfig(scimBaseUrl(event)),
}));
