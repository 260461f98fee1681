import { identity } from '../../shared/identity/identity.js';
import { scimIdParams } from '../../shared/scim/schemas.js';
import { scimHandler } from '../../shared/scim/scim-handler.js';
import { deprovisionScimUser } from '../../shared/scim/scim-users.js';

/** DELETE /scim/v2/Users/{id}: the member is deprovisioned (access ends, row and history kept); 204. */
export const handler = scimHandler({ params: scimIdParams }, async ({ params, orgId, db, audit }) => {
  await deprovisionScimUser({ db, identity: identity() }, orgId, params.id, audit);
  return { status: 204 };
});
