import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/scim/operations.js';
import { attributeSelectionOf, excludes, selectAttributes } from '../../shared/scim/attributes.js';
import { scimBaseUrl } from '../../shared/http/scim-base-url.js';
import { groupResource } from '../../shared/scim/group-resource.js';
import { getScimGroup, groupMembers } from '../../shared/scim/scim-groups.js';

/** GET /scim/v2/Groups/{id}: one team with its members (not read when the selection leaves them out). */
export const handler = operationHandler(operations.getGroup, async ({ params, query, orgId, event, deps }) => {
  const selection = attributeSelectionOf(query);
  const team = await getScimGroup(deps.db, orgId, params.id);
  const members = excludes(selection, 'members') ? undefined : await groupMembers(deps.db, orgId, team.teamId);
  return { status: 200, body: selectAttributes(groupResource(team, members, scimBaseUrl(event)), selection) };
});
