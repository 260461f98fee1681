import { attributeSelectionOf, selectAttributes } from '../../shared/scim/attributes.js';
import { scimBaseUrl } from '../../shared/scim/discovery.js';
import { scimIdParams, scimResourceQuery } from '../../shared/scim/schemas.js';
import { scimHandler } from '../../shared/scim/scim-handler.js';
import { getScimUser } from '../../shared/scim/scim-users.js';
import { userResource } from '../../shared/scim/user-resource.js';

/** GET /scim/v2/Users/{id}: one member of the token's org, cut to `attributes` / `excludedAttributes`. */
export const handler = scimHandler(
  { params: scimIdParams, query: scimResourceQuery },
  async ({ params, query, orgId, db, event }) => {
    const { membership, profile } = await getScimUser(db, orgId, params.id);
    const resource = userResource(membership, profile, scimBaseUrl(event));
    return {
      status: 200,
      body: selectAttributes(resource, attributeSelectionOf(query)),
      headers: { etag: resource.meta.version },
    };
  },
);
