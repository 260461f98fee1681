import { identity } from '../../shared/identity/identity.js';
import { scimBaseUrl } from '../../shared/scim/discovery.js';
import { scimIdParams, scimJsonObject } from '../../shared/scim/schemas.js';
import { scimHandler } from '../../shared/scim/scim-handler.js';
import { getScimUser, scimStateOf, updateScimUser } from '../../shared/scim/scim-users.js';
import { applyUserPatch, patchOperationsOf, userResource } from '../../shared/scim/user-resource.js';

/** PATCH /scim/v2/Users/{id}: add/replace/remove operations, applied through the member use cases. */
export const handler = scimHandler({ params: scimIdParams, body: scimJsonObject }, async ({ params, body, orgId, db, audit, event }) => {
  const operations = patchOperationsOf(body);
  const current = await getScimUser(db, orgId, params.id);
  const { membership, profile } = await updateScimUser({ db, identity: identity() }, orgId, current, applyUserPatch(scimStateOf(current), operations), audit);
  const resource = userResource(membership, profile, scimBaseUrl(event));
  return { status: 200, body: resource, headers: { etag: resource.meta.version } };
});
