import { config } from '../../shared/config.js';
import { identity } from '../../shared/identity/identity.js';
import { scimBaseUrl } from '../../shared/scim/discovery.js';
import { scimIdParams, scimJsonObject } from '../../shared/scim/schemas.js';
import { scimHandler } from '../../shared/scim/scim-handler.js';
import { changeScimUser, checkIdUnchanged } from '../../shared/scim/scim-users.js';
import { userResource, userStateFromResource } from '../../shared/scim/user-resource.js';

/** PUT /scim/v2/Users/{id}: full replace of name, userName, active and the SCIM attributes. */
export const handler = scimHandler(
  { params: scimIdParams, body: scimJsonObject },
  async ({ params, body, orgId, db, audit, event }) => {
    checkIdUnchanged(body, params.id);
    const next = userStateFromResource(body);
    const { membership, profile } = await changeScimUser(
      { db, identity: identity(), appUrl: config().appUrl },
      orgId,
      params.id,
      () => next,
      audit,
      !next.active,
    );
    const resource = userResource(membership, profile, scimBaseUrl(event));
    return { status: 200, body: resource, headers: { etag: resource.meta.version } };
  },
);
