import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/invitations/operations.js';
import { revokeInvitation } from '../../shared/invitations/revoke-invitation.js';

/** DELETE /v1/orgs/{orgId}/invitations/{invitationId}: revoke a pending invitation and free its seat; 204. */
export const handler = operationHandler(operations.revokeInvitation, async ({ params, audit, deps }) => {
  await revokeInvitation(deps.db, params.orgId, params.invitationId, audit);
  return { status: 204 };
});
