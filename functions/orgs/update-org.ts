import { httpHandler } from '../../shared/http/handler.js';
import { orgView } from '../../shared/orgs/org.js';
import { updateOrgBody } from '../../shared/orgs/schemas.js';
import { updateOrg } from '../../shared/orgs/update-org.js';
import { orgPathParams } from '../../shared/schemas.js';

/** PATCH /v1/orgs/{orgId}: org admins change name and settings; operators also maxSeats. */
export const handler = httpHandler(
  {
    auth: { kind: 'orgMember', permission: 'org:manage', platformAdmin: true },
    params: orgPathParams,
    body: updateOrgBody,
  },
  async ({ caller, body, db, audit }) => {
    const org = await updateOrg(db, caller.org, body, caller.isPlatformAdmin, audit, caller.user?.mfaEnabled === true);
    return { status: 200, body: orgView(org) };
  },
);
