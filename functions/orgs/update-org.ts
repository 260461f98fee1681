import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/orgs/operations.js';
import { orgView } from '../../shared/orgs/org.js';
import { updateOrg } from '../../shared/orgs/update-org.js';

/** PATCH /v1/orgs/{orgId}: org admins change name and settings; operators also maxSeats. */
export const handler = operationHandler(operations.updateOrg, async ({ caller, body, audit, deps }) => {
  const org = await updateOrg(
    deps.db,
    caller.org,
    body,
    caller.isPlatformAdmin,
    audit,
    caller.user?.mfaEnabled === true,
    caller.membership,
  );
  return { status: 200, body: orgView(org) };
});
