import { resourceType, scimBaseUrl } from '../../shared/scim/discovery.js';
import { scimDiscoveryIdParams } from '../../shared/scim/schemas.js';
import { scimHandler } from '../../shared/scim/scim-handler.js';

/** GET /scim/v2/ResourceTypes/{id}: User or Group (RFC 7644 §4); SCIM 404 for any other. */
export const handler = scimHandler({ params: scimDiscoveryIdParams }, async ({ params, event }) => ({
  status: 200,
  body: resourceType(scimBaseUrl(event), params.id),
}));
