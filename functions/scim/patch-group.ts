import { identity } from '../../shared/identity/identity.js';
import { groupPatchOf } from '../../shared/scim/group-resource.js';
import { scimIdParams, scimJsonObject } from '../../shared/scim/schemas.js';
import { patchScimGroup } from '../../shared/scim/scim-groups.js';
import { scimHandler } from '../../shared/scim/scim-handler.js';
import { patchOperationsOf } from '../../shared/scim/user-resource.js';

/** PATCH /scim/v2/Groups/{id}: rename, add and remove members; 204 (RFC 7644 §3.5.2 allows it; Okta and Entra expect it). */
export const handler = scimHandler(
  { params: scimIdParams, body: scimJsonObject },
  async ({ params, body, db, audit, caller }) => {
    await patchScimGroup(
      { db, identity: identity() },
      caller.org,
      params.id,
      groupPatchOf(patchOperationsOf(body)),
      audit,
    );
    return { status: 204 };
  },
);
