import { knownAccount } from '../../shared/http/authorize.js';
import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/scim/operations.js';
import { identity } from '../../shared/identity/identity.js';
import { scimSettingsOf } from '../../shared/orgs/org.js';
import { deleteScimUser } from '../../shared/scim/scim-users.js';

/** DELETE /scim/v2/Users/{id}: deprovisioned (access ends, row and history kept) or, as the org chose, removed; 204. */
export const handler = operationHandler(
  operations.deleteUser,
  { identity },
  async ({ params, orgId, audit, caller, deps }) => {
    await deleteScimUser(
      deps,
      orgId,
      params.id,
      scimSettingsOf(caller.org.settings).deleteAction,
      audit,
      knownAccount(caller),
    );
    return { status: 204 };
  },
);
