import { httpHandler } from '../../shared/http/handler.js';
import { revokeInvitation } from '../../shared/invitations/revoke-invitation.js';
import { invitationPathParams } from '../../shared/invitations/schemas.js';

/** DELETE /v1/orgs/{orgId}/invitations/{invitationId}: revoke a pending invitation and free its seat; 204. */
export const handler = httpHandler(
  { auth: { kind: 'orgMember', permission: 'members:manage' }, params: invitationPathParams },
  async ({ params, db, audit }) => {
    await revokeInvitation(db, params.orgId, params.invitationId, audit);
    return { status: 204 };
  },
);
