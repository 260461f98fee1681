import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/scim/operations.js';
import { mapBounded } from '../../shared/concurrency.js';
import { attributeSelectionOf, excludes, selectAttributes } from '../../shared/scim/attributes.js';
import { scimBaseUrl } from '../../shared/http/scim-base-url.js';
import { listResponse } from '../../shared/scim/discovery.js';
import { groupResource } from '../../shared/scim/group-resource.js';
import { groupMembers, listScimGroups } from '../../shared/scim/scim-groups.js';
import { scimPage } from '../../shared/scim/scim-users.js';

/** Member Queries in flight when a page of groups carries its members. */
const MEMBER_READS_IN_FLIGHT = 8;

/**
 * GET /scim/v2/Groups: by `displayName eq` (or `id eq`), or a page of teams. Members cost a
 * Query per group, so a list carries them only when `attributes=` names `members` (RFC 7644
 * §3.9); otherwise they are read per group (GET /Groups/{id}).
 */
export const handler = operationHandler(operations.listGroups, async ({ query, orgId, event, deps }) => {
  const page = scimPage(query);
  const { total, teams } = await listScimGroups(deps.db, orgId, page);
  const base = scimBaseUrl(event);
  const selection = attributeSelectionOf(query);
  const withMembers = selection.attributes !== undefined && !excludes(selection, 'members');
  const members = withMembers
    ? await mapBounded(teams, MEMBER_READS_IN_FLIGHT, (t) => groupMembers(deps.db, orgId, t.teamId))
    : [];
  return {
    status: 200,
    body: listResponse(
      teams.map((t, i) => selectAttributes(groupResource(t, members[i], base), selection)),
      total,
      page.startIndex,
    ),
  };
});
