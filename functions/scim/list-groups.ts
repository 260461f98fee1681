import { attributeSelectionOf, selectAttributes } from '../../shared/scim/attributes.js';
import { listResponse, scimBaseUrl } from '../../shared/scim/discovery.js';
import { groupResource } from '../../shared/scim/group-resource.js';
import { scimListQuery } from '../../shared/scim/schemas.js';
import { listScimGroups } from '../../shared/scim/scim-groups.js';
import { scimHandler } from '../../shared/scim/scim-handler.js';
import { scimPage } from '../../shared/scim/scim-users.js';

/** GET /scim/v2/Groups: by `displayName eq` (or `id eq`), or a page of teams; members are read per group (GET /Groups/{id}). */
export const handler = scimHandler({ query: scimListQuery }, async ({ query, orgId, db, event }) => {
  const page = scimPage(query);
  const { total, teams } = await listScimGroups(db, orgId, page);
  const base = scimBaseUrl(event);
  const selection = attributeSelectionOf(query);
  return { status: 200, body: listResponse(teams.map((t) => selectAttributes(groupResource(t, undefined, base), selection)), total, page.startIndex) };
});
