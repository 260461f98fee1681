import { tokenPathParams } from '../../shared/credentials/schemas.js';
import { httpHandler } from '../../shared/http/handler.js';
import { identity } from '../../shared/identity/identity.js';
import { acceptInvitation } from '../../shared/invitations/accept-invitation.js';
import { acceptInvitationBody } from '../../shared/invitations/schemas.js';
import { membershipView } from '../../shared/members/membership.js';

/** POST /v1/invitations/{token}/accept: a new user joins with a name and a password, once; 201. */
export const handler = httpHandler({ auth: { kind: 'public' }, params: tokenPathParams, body: acceptInvitationBody }, async ({ params, body, db, audit }) => {
  const membership = await acceptInvitation({ db, identity: identity() }, params.token, body, audit);
  return { status: 201, body: membershipView(membership) };
});
