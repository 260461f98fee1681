import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/scim/operations.js';
import { identity } from '../../shared/identity/identity.js';
import { scimBaseUrl } from '../../shared/http/scim-base-url.js';
import { groupResource, groupStateFromResource } from '../../shared/scim/group-resource.js';
import { groupMembers, replaceScimGroup } from '../../shared/scim/scim-groups.js';

/** PUT /scim/v2/Groups/{id}: rename, and make the members exactly those named (when named). */
export const handler = operationHandler(
  operations.replaceGroup,
  { identity },
  async ({ params, body, orgId, audit, event, caller, deps }) => {
    const team = await replaceScimGroup(deps, caller.org, params.id, groupStateFromResource(body), audit);
    return {
      status: 200,
      body: groupResource(team, await groupMembers(deps.db, orgId, team.teamId), scimBaseUrl(event)),
    };
  },
);
