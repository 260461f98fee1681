import { knownAccount } from '../../shared/http/authorize.js';
import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/scim/operations.js';
import { config } from '../../shared/config.js';
import { identity } from '../../shared/identity/identity.js';
import { scimBaseUrl } from '../../shared/http/scim-base-url.js';
import { changeScimUser, checkIdUnchanged } from '../../shared/scim/scim-users.js';
import { userResource, userStateFromResource } from '../../shared/scim/user-resource.js';

/** PUT /scim/v2/Users/{id}: full replace of name, userName, active and the SCIM attributes. */
export const handler = operationHandler(
  operations.replaceUser,
  { identity },
  async ({ params, body, orgId, audit, event, caller, deps }) => {
    checkIdUnchanged(body, params.id);
    const next = userStateFromResource(body);
    const { membership, profile } = await changeScimUser(
      { ...deps, appUrl: config().appUrl },
      orgId,
      params.id,
      () => next,
      audit,
      !next.active,
      knownAccount(caller),
    );
    const resource = userResource(membership, profile, scimBaseUrl(event));
    return { status: 200, body: resource, headers: { etag: resource.meta.version } };
  },
);
