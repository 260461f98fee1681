import { schema, scimBaseUrl } from '../../shared/scim/discovery.js';
import { scimDiscoveryIdParams } from '../../shared/scim/schemas.js';
import { scimHandler } from '../../shared/scim/scim-handler.js';

/** GET /scim/v2/Schemas/{id}: one schema by its URN (RFC 7644 §4); SCIM 404 for any other. */
export const handler = scimHandler({ params: scimDiscoveryIdParams }, async ({ params, event }) => ({
  status: 200,
  body: schema(scimBaseUrl(event), params.id),
}));
