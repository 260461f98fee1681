import { identity } from '../../shared/identity/identity.js';
import { scimSettingsOf } from '../../shared/orgs/org.js';
import { scimIdParams } from '../../shared/scim/schemas.js';
import { scimHandler } from '../../shared/scim/scim-handler.js';
import { deleteScimUser } from '../../shared/scim/scim-users.js';

/** DELETE /scim/v2/Users/{id}: deprovisioned (access ends, row and history kept) or, as the org chose, removed; 204. */
export const handler = scimHandler({ params: scimIdParams }, async ({ params, orgId, db, audit, caller }) => {
  await deleteScimUser(
    { db, identity: identity() },
    orgId,
    params.id,
    scimSettingsOf(caller.org.settings).deleteAction,
    audit,
  );
  return { status: 204 };
});
