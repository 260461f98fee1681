import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/scim/operations.js';
import { identity } from '../../shared/identity/identity.js';
import { scimBaseUrl } from '../../shared/http/scim-base-url.js';
import { groupResource, groupStateFromResource } from '../../shared/scim/group-resource.js';
import { createScimGroup, groupMembers } from '../../shared/scim/scim-groups.js';

/** POST /scim/v2/Groups: a new team, with the members named; 201, or 409 uniqueness on a taken name. */
export const handler = operationHandler(
  operations.createGroup,
  { identity },
  async ({ body, orgId, audit, event, caller, deps }) => {
    const team = await createScimGroup(deps, caller.org, groupStateFromResource(body), audit);
    const resource = groupResource(team, await groupMembers(deps.db, orgId, team.teamId), scimBaseUrl(event));
    return { status: 201, body: resource, headers: { location: resource.meta.location, etag: resource.meta.version } };
  },
);
