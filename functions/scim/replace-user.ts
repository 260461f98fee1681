import { identity } from '../../shared/identity/identity.js';
import { scimBaseUrl } from '../../shared/scim/discovery.js';
import { scimIdParams, scimJsonObject } from '../../shared/scim/schemas.js';
import { scimHandler } from '../../shared/scim/scim-handler.js';
import { checkIdUnchanged, getScimUser, updateScimUser } from '../../shared/scim/scim-users.js';
import { userResource, userStateFromResource } from '../../shared/scim/user-resource.js';

/** PUT /scim/v2/Users/{id}: full replace of name, userName, active and the SCIM attributes. */
export const handler = scimHandler({ params: scimIdParams, body: scimJsonObject }, async ({ params, body, orgId, db, audit, event }) => {
  checkIdUnchanged(body, params.id);
  const next = userStateFromResource(body);
  const current = await getScimUser(db, orgId, params.id);
  const { membership, profile } = await updateScimUser({ db, identity: identity() }, orgId, current, next, audit);
  const resource = userResource(membership, profile, scimBaseUrl(event));
  return { status: 200, body: resource, headers: { etag: resource.meta.version } };
});
