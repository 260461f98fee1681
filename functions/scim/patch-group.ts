import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/scim/operations.js';
import { identity } from '../../shared/identity/identity.js';
import { groupPatchOf } from '../../shared/scim/group-resource.js';
import { patchScimGroup } from '../../shared/scim/scim-groups.js';
import { patchOperationsOf } from '../../shared/scim/patch-operations.js';

/** PATCH /scim/v2/Groups/{id}: rename, add and remove members; 204 (RFC 7644 §3.5.2 allows it; Okta and Entra expect it). */
export const handler = operationHandler(
  operations.patchGroup,
  { identity },
  async ({ params, body, audit, caller, deps }) => {
    await patchScimGroup(deps, caller.org, params.id, groupPatchOf(patchOperationsOf(body)), audit);
    return { status: 204 };
  },
);
