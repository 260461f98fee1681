import { httpHandler } from '../../shared/http/handler.js';
import { bearerToken } from '../../shared/http/authorize.js';
import { headerValue, parseBody } from '../../shared/http/parse.js';
import { tokenPathParams } from '../../shared/credentials/schemas.js';
import { identity } from '../../shared/identity/identity.js';
import { tokenVerifier } from '../../shared/identity/token-verifier.js';
import { acceptInvitation, acceptInvitationAsUser } from '../../shared/invitations/accept-invitation.js';
import { invalidAccessToken } from '../../shared/invitations/invitation-errors.js';
import { acceptAsUserBody, acceptInvitationBody } from '../../shared/invitations/schemas.js';
import { membershipView } from '../../shared/members/membership.js';

/**
 * POST /v1/invitations/{token}/accept; 201. With `Authorization: Bearer <access token>` the
 * signed-in user joins (no body, or `{}`); without, a new user joins with a name and a password.
 * Public route (no API Gateway authorizer): the bearer token is verified in the use case.
 */
export const handler = httpHandler(
  { auth: { kind: 'public' }, params: tokenPathParams },
  async ({ params, db, audit, event }) => {
    const authorization = headerValue(event, 'authorization');
    if (authorization !== undefined) {
      const bearer = bearerToken(event);
      if (!bearer) throw invalidAccessToken('The Authorization header must be "Bearer <access token>"');
      if (event.body) parseBody(event, acceptAsUserBody);
      const membership = await acceptInvitationAsUser(
        { db, identity: identity(), verifier: tokenVerifier() },
        params.token,
        bearer,
        audit,
      );
      return { status: 201, body: membershipView(membership) };
    }
    const membership = await acceptInvitation(
      { db, identity: identity() },
      params.token,
      parseBody(event, acceptInvitationBody),
      audit,
    );
    return { status: 201, body: membershipView(membership) };
  },
);
