import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/scim/operations.js';
import { identity } from '../../shared/identity/identity.js';
import { scimBaseUrl } from '../../shared/http/scim-base-url.js';
import { createScimUser } from '../../shared/scim/scim-users.js';
import { userResource, userStateFromResource } from '../../shared/scim/user-resource.js';

/** POST /scim/v2/Users: a new member (role member, source scim); 201, or 409 uniqueness. */
export const handler = operationHandler(
  operations.createUser,
  { identity },
  async ({ body, orgId, audit, event, deps }) => {
    const { membership, profile } = await createScimUser(deps, orgId, userStateFromResource(body), audit);
    const resource = userResource(membership, profile, scimBaseUrl(event));
    return { status: 201, body: resource, headers: { location: resource.meta.location, etag: resource.meta.version } };
  },
);
