import { scimIdParams } from '../../shared/scim/schemas.js';
import { deleteScimGroup } from '../../shared/scim/scim-groups.js';
import { scimHandler } from '../../shared/scim/scim-handler.js';

/** DELETE /scim/v2/Groups/{id}: the team is deleted and its members unassigned (not removed); 204. */
export const handler = scimHandler({ params: scimIdParams }, async ({ params, orgId, db, audit }) => {
  await deleteScimGroup(db, orgId, params.id, audit);
  return { status: 204 };
});
