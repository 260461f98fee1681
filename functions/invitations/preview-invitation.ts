import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/invitations/operations.js';
import { previewInvitation } from '../../shared/invitations/preview-invitation.js';

/** GET /v1/invitations/{token}: what the link holder is invited to, and nothing more. */
export const handler = operationHandler(operations.previewInvitation, async ({ params, audit, deps }) => ({
  status: 200,
  body: await previewInvitation(deps.db, params.token, audit.now),
}));
