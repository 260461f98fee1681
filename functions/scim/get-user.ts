import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/scim/operations.js';
import { attributeSelectionOf, selectAttributes } from '../../shared/scim/attributes.js';
import { scimBaseUrl } from '../../shared/http/scim-base-url.js';
import { getScimUser } from '../../shared/scim/scim-users.js';
import { userResource } from '../../shared/scim/user-resource.js';

/** GET /scim/v2/Users/{id}: one member of the token's org, cut to `attributes` / `excludedAttributes`. */
export const handler = operationHandler(operations.getUser, async ({ params, query, orgId, event, deps }) => {
  const { membership, profile } = await getScimUser(deps.db, orgId, params.id);
  const resource = userResource(membership, profile, scimBaseUrl(event));
  return {
    status: 200,
    body: selectAttributes(resource, attributeSelectionOf(query)),
    headers: { etag: resource.meta.version },
  };
});
