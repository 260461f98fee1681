import { identity } from '../../shared/identity/identity.js';
import { scimBaseUrl } from '../../shared/scim/discovery.js';
import { groupResource, groupStateFromResource } from '../../shared/scim/group-resource.js';
import { scimJsonObject } from '../../shared/scim/schemas.js';
import { createScimGroup, groupMembers } from '../../shared/scim/scim-groups.js';
import { scimHandler } from '../../shared/scim/scim-handler.js';

/** POST /scim/v2/Groups: a new team, with the members named; 201, or 409 uniqueness on a taken name. */
export const handler = scimHandler({ body: scimJsonObject }, async ({ body, orgId, db, audit, event, caller }) => {
  const team = await createScimGroup({ db, identity: identity() }, caller.org, groupStateFromResource(body), audit);
  const resource = groupResource(team, await groupMembers(db, orgId, team.teamId), scimBaseUrl(event));
  return { status: 201, body: resource, headers: { location: resource.meta.location, etag: resource.meta.version } };
});
