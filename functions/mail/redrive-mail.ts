import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/mail/operations.js';
import { redriveOrgMail } from '../../shared/mail/redrive-mail.js';

/** POST /v1/orgs/{orgId}/mail/redrive: send the org's failed and stale mail again (org admins). */
export const handler = operationHandler(operations.redriveMail, async ({ params, audit, deps }) => ({
  status: 200,
  body: await redriveOrgMail(deps.db, params.orgId, audit),
}));
