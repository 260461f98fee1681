import { scimBaseUrl, serviceProviderConfig } from '../../shared/scim/discovery.js';
import { scimHandler } from '../../shared/scim/scim-handler.js';

/** GET /scim/v2/ServiceProviderConfig: what Roster's SCIM service supports. */
export const handler = scimHandler({}, async ({ event }) => ({
  status: 200,
  body: serviceProviderConfig(scimBaseUrl(event)),
}));
