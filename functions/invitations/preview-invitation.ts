import { tokenPathParams } from '../../shared/credentials/schemas.js';
import { httpHandler } from '../../shared/http/handler.js';
import { previewInvitation } from '../../shared/invitations/preview-invitation.js';

/** GET /v1/invitations/{token}: what the link holder is invited to, and nothing more. */
export const handler = httpHandler(
  { auth: { kind: 'public' }, params: tokenPathParams },
  async ({ params, db, audit }) => ({
    status: 200,
    body: await previewInvitation(db, params.token, audit.now),
  }),
);
