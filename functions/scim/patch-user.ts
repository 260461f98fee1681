import { knownAccount } from '../../shared/http/authorize.js';
import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/scim/operations.js';
import { config } from '../../shared/config.js';
import { identity } from '../../shared/identity/identity.js';
import { scimBaseUrl } from '../../shared/http/scim-base-url.js';
import { changeScimUser, scimStateOf } from '../../shared/scim/scim-users.js';
import { patchOperationsOf } from '../../shared/scim/patch-operations.js';
import { applyUserPatch, patchDeactivates } from '../../shared/scim/user-patch.js';
import { userResource } from '../../shared/scim/user-resource.js';

/** PATCH /scim/v2/Users/{id}: add/replace/remove operations, applied to the user as read (again, after a lost race). */
export const handler = operationHandler(
  operations.patchUser,
  { identity },
  async ({ params, body, orgId, audit, event, caller, deps }) => {
    const patch = patchOperationsOf(body);
    const { membership, profile } = await changeScimUser(
      { ...deps, appUrl: config().appUrl },
      orgId,
      params.id,
      (current) => applyUserPatch(scimStateOf(current), patch),
      audit,
      patchDeactivates(patch),
      knownAccount(caller),
    );
    const resource = userResource(membership, profile, scimBaseUrl(event));
    return { status: 200, body: resource, headers: { etag: resource.meta.version } };
  },
);
