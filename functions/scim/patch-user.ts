import { config } from '../../shared/config.js';
import { identity } from '../../shared/identity/identity.js';
import { scimBaseUrl } from '../../shared/scim/discovery.js';
import { scimIdParams, scimJsonObject } from '../../shared/scim/schemas.js';
import { scimHandler } from '../../shared/scim/scim-handler.js';
import { changeScimUser, scimStateOf } from '../../shared/scim/scim-users.js';
import { applyUserPatch, patchDeactivates, patchOperationsOf, userResource } from '../../shared/scim/user-resource.js';

/** PATCH /scim/v2/Users/{id}: add/replace/remove operations, applied to the user as read (again, after a lost race). */
export const handler = scimHandler(
  { params: scimIdParams, body: scimJsonObject },
  async ({ params, body, orgId, db, audit, event }) => {
    const operations = patchOperationsOf(body);
    const { membership, profile } = await changeScimUser(
      { db, identity: identity(), appUrl: config().appUrl },
      orgId,
      params.id,
      (current) => applyUserPatch(scimStateOf(current), operations),
      audit,
      patchDeactivates(operations),
    );
    const resource = userResource(membership, profile, scimBaseUrl(event));
    return { status: 200, body: resource, headers: { etag: resource.meta.version } };
  },
);
