import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/scim/operations.js';
import { attributeSelectionOf, selectAttributes } from '../../shared/scim/attributes.js';
import { scimBaseUrl } from '../../shared/http/scim-base-url.js';
import { listResponse } from '../../shared/scim/discovery.js';
import { listScimUsers, scimPage } from '../../shared/scim/scim-users.js';
import { userResource } from '../../shared/scim/user-resource.js';

/** GET /scim/v2/Users: by filter (key lookups) or a page of members by name. */
export const handler = operationHandler(operations.listUsers, async ({ query, caller, event, deps }) => {
  const page = scimPage(query);
  const { total, members } = await listScimUsers(deps.db, caller.org, page);
  const base = scimBaseUrl(event);
  const selection = attributeSelectionOf(query);
  return {
    status: 200,
    body: listResponse(
      members.map((m) => selectAttributes(userResource(m.membership, m.profile, base), selection)),
      total,
      page.startIndex,
    ),
  };
});
