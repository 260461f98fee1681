import { operationHandler } from '../../shared/http/handler.js';
import { orgView } from '../../shared/orgs/org.js';
import * as operations from '../../shared/orgs/operations.js';
import { config } from '../../shared/config.js';
import { membershipView } from '../../shared/members/membership.js';
import { createOrg } from '../../shared/orgs/create-org.js';

/** POST /v1/orgs: a platform operator creates an org and its first org_admin. */
export const handler = operationHandler(operations.createOrg, async ({ body, audit, deps }) => {
  const { org, admin } = await createOrg({ db: deps.db, appUrl: config().appUrl }, body, audit);
  return {
    status: 201,
    body: { ...orgView(org), admin: membershipView(admin) },
    headers: { location: `/v1/orgs/${org.orgId}` },
  };
});
