import { scimBaseUrl } from '../../shared/scim/discovery.js';
import { scimIdParams } from '../../shared/scim/schemas.js';
import { scimHandler } from '../../shared/scim/scim-handler.js';
import { getScimUser } from '../../shared/scim/scim-users.js';
import { userResource } from '../../shared/scim/user-resource.js';

/** GET /scim/v2/Users/{id}: one member of the token's org. */
export const handler = scimHandler({ params: scimIdParams }, async ({ params, orgId, db, event }) => {
  const { membership, profile } = await getScimUser(db, orgId, params.id);
  const resource = userResource(membership, profile, scimBaseUrl(event));
  return { status: 200, body: resource, headers: { etag: resource.meta.version } };
});
