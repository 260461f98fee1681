import { httpHandler } from '../../shared/http/handler.js';
import { redriveOrgMail } from '../../shared/mail/redrive-mail.js';
import { orgPathParams } from '../../shared/schemas.js';

/** POST /v1/orgs/{orgId}/mail/redrive: send the org's failed and stale mail again (org admins). */
export const handler = httpHandler(
  { auth: { kind: 'orgMember', permission: 'org:manage' }, params: orgPathParams },
  async ({ params, db, audit }) => ({
    status: 200,
    body: await redriveOrgMail(db, params.orgId, audit),
  }),
);
