import { resourceTypes, scimBaseUrl } from '../../shared/scim/discovery.js';
import { scimHandler } from '../../shared/scim/scim-handler.js';

/** GET /scim/v2/ResourceTypes: User (with the enterprise extension) and Group. */
export const handler = scimHandler({}, async ({ event }) => ({ status: 200, body: resourceTypes(scimBaseUrl(event)) }));
