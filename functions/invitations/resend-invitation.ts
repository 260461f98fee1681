import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/invitations/operations.js';
import { config } from '../../shared/config.js';
import { resendInvitation } from '../../shared/invitations/resend-invitation.js';

/** POST /v1/orgs/{orgId}/invitations/{invitationId}/resend: a new link (the old one dies) and a restarted clock. */
export const handler = operationHandler(operations.resendInvitation, async ({ caller, params, audit, deps }) => ({
  status: 200,
  body: await resendInvitation({ db: deps.db, appUrl: config().appUrl }, caller.org, params.invitationId, audit),
}));
