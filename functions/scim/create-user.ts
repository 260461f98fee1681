import { identity } from '../../shared/identity/identity.js';
import { scimBaseUrl } from '../../shared/scim/discovery.js';
import { scimJsonObject } from '../../shared/scim/schemas.js';
import { scimHandler } from '../../shared/scim/scim-handler.js';
import { createScimUser } from '../../shared/scim/scim-users.js';
import { userResource, userStateFromResource } from '../../shared/scim/user-resource.js';

/** POST /scim/v2/Users: a new member (role member, source scim); 201, or 409 uniqueness. */
export const handler = scimHandler({ body: scimJsonObject }, async ({ body, orgId, db, audit, event }) => {
  const { membership, profile } = await createScimUser(
    { db, identity: identity() },
    orgId,
    userStateFromResource(body),
    audit,
  );
  const resource = userResource(membership, profile, scimBaseUrl(event));
  return { status: 201, body: resource, headers: { location: resource.meta.location, etag: resource.meta.version } };
});
