import { attributeSelectionOf, excludes, selectAttributes } from '../../shared/scim/attributes.js';
import { scimBaseUrl } from '../../shared/scim/discovery.js';
import { groupResource } from '../../shared/scim/group-resource.js';
import { scimIdParams, scimResourceQuery } from '../../shared/scim/schemas.js';
import { getScimGroup, groupMembers } from '../../shared/scim/scim-groups.js';
import { scimHandler } from '../../shared/scim/scim-handler.js';

/** GET /scim/v2/Groups/{id}: one team with its members (not read when the selection leaves them out). */
export const handler = scimHandler(
  { params: scimIdParams, query: scimResourceQuery },
  async ({ params, query, orgId, db, event }) => {
    const selection = attributeSelectionOf(query);
    const team = await getScimGroup(db, orgId, params.id);
    const members = excludes(selection, 'members') ? undefined : await groupMembers(db, orgId, team.teamId);
    return { status: 200, body: selectAttributes(groupResource(team, members, scimBaseUrl(event)), selection) };
  },
);
