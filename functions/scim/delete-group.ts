import { identity } from '../../shared/identity/identity.js';
import { scimIdParams } from '../../shared/scim/schemas.js';
import { deleteScimGroup } from '../../shared/scim/scim-groups.js';
import { scimHandler } from '../../shared/scim/scim-handler.js';

/** DELETE /scim/v2/Groups/{id}: the team is deleted and its members unassigned (not removed; a mapped group's role taken back); 204. */
export const handler = scimHandler({ params: scimIdParams }, async ({ params, db, audit, caller }) => {
  await deleteScimGroup({ db, identity: identity() }, caller.org, params.id, audit);
  return { status: 204 };
});
