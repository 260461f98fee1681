import { scimBaseUrl } from '../../shared/scim/discovery.js';
import { groupResource } from '../../shared/scim/group-resource.js';
import { scimGroupQuery, scimIdParams } from '../../shared/scim/schemas.js';
import { getScimGroup, groupMembers } from '../../shared/scim/scim-groups.js';
import { scimHandler } from '../../shared/scim/scim-handler.js';

/** GET /scim/v2/Groups/{id}: one team with its members (unless excludedAttributes=members). */
export const handler = scimHandler({ params: scimIdParams, query: scimGroupQuery }, async ({ params, query, orgId, db, event }) => {
  const team = await getScimGroup(db, orgId, params.id);
  const members = /\bmembers\b/i.test(query.excludedAttributes ?? '') ? undefined : await groupMembers(db, orgId, team.teamId);
  return { status: 200, body: groupResource(team, members, scimBaseUrl(event)) };
});
