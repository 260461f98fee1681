import { config } from '../../shared/config.js';
import { httpHandler } from '../../shared/http/handler.js';
import { resendInvitation } from '../../shared/invitations/resend-invitation.js';
import { invitationPathParams } from '../../shared/invitations/schemas.js';

/** POST /v1/orgs/{orgId}/invitations/{invitationId}/resend: a new link (the old one dies) and a restarted clock. */
export const handler = httpHandler(
  { auth: { kind: 'orgMember', permission: 'members:manage' }, params: invitationPathParams },
  async ({ caller, params, db, audit }) => ({
    status: 200,
    body: await resendInvitation({ db, appUrl: config().appUrl }, caller.org, params.invitationId, audit),
  }),
);
