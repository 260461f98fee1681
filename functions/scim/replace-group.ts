import { identity } from '../../shared/identity/identity.js';
import { scimBaseUrl } from '../../shared/scim/discovery.js';
import { groupResource, groupStateFromResource } from '../../shared/scim/group-resource.js';
import { scimIdParams, scimJsonObject } from '../../shared/scim/schemas.js';
import { groupMembers, replaceScimGroup } from '../../shared/scim/scim-groups.js';
import { scimHandler } from '../../shared/scim/scim-handler.js';

/** PUT /scim/v2/Groups/{id}: rename, and make the members exactly those named (when named). */
export const handler = scimHandler(
  { params: scimIdParams, body: scimJsonObject },
  async ({ params, body, orgId, db, audit, event, caller }) => {
    const team = await replaceScimGroup(
      { db, identity: identity() },
      caller.org,
      params.id,
      groupStateFromResource(body),
      audit,
    );
    return { status: 200, body: groupResource(team, await groupMembers(db, orgId, team.teamId), scimBaseUrl(event)) };
  },
);
