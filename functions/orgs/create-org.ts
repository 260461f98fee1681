import { config } from '../../shared/config.js';
import { httpHandler } from '../../shared/http/handler.js';
import { membershipView } from '../../shared/members/membership.js';
import { createOrg } from '../../shared/orgs/create-org.js';
import { orgView } from '../../shared/orgs/org.js';
import { createOrgBody } from '../../shared/orgs/schemas.js';

/** POST /v1/orgs: a platform operator creates an org and its first org_admin. */
export const handler = httpHandler(
  { auth: { kind: 'platformAdmin' }, body: createOrgBody },
  async ({ body, db, audit }) => {
    const { org, admin } = await createOrg({ db, appUrl: config().appUrl }, body, audit);
    return {
      status: 201,
      body: { ...orgView(org), admin: membershipView(admin) },
      headers: { location: `/v1/orgs/${org.orgId}` },
    };
  },
);
