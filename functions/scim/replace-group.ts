import { identity } from '../../shared/identity/identity.js';
import { scimSettingsOf } from '../../shared/orgs/org.js';
import { scimBaseUrl } from '../../shared/scim/discovery.js';
import { groupResource, groupStateFromResource } from '../../shared/scim/group-resource.js';
import { scimIdParams, scimJsonObject } from '../../shared/scim/schemas.js';
import { groupMembers, replaceScimGroup } from '../../shared/scim/scim-groups.js';
import { scimHandler } from '../../shared/scim/scim-handler.js';

/** PUT /scim/v2/Groups/{id}: rename, and make the members exactly those named (when named). */
export const handler = scimHandler({ params: scimIdParams, body: scimJsonObject }, async ({ params, body, orgId, db, audit, event, caller }) => {
  const team = await replaceScimGroup({ db, identity: identity() }, orgId, params.id, groupStateFromResource(body), scimSettingsOf(caller.org.settings).groupRoles, audit);
  return { status: 200, body: groupResource(team, await groupMembers(db, orgId, team.teamId), scimBaseUrl(event)) };
});
