import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/scim/operations.js';
import { identity } from '../../shared/identity/identity.js';
import { deleteScimGroup } from '../../shared/scim/scim-groups.js';

/** DELETE /scim/v2/Groups/{id}: the team is deleted and its members unassigned (not removed; a mapped group's role taken back); 204. */
export const handler = operationHandler(
  operations.deleteGroup,
  { identity },
  async ({ params, audit, caller, deps }) => {
    await deleteScimGroup(deps, caller.org, params.id, audit);
    return { status: 204 };
  },
);
