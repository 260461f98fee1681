import { operationHandler } from '../../shared/http/handler.js';
import { identity } from '../../shared/identity/identity.js';
import { tokenVerifier } from '../../shared/identity/token-verifier.js';
import { acceptInvitation, acceptInvitationAsUser } from '../../shared/invitations/accept-invitation.js';
import * as operations from '../../shared/invitations/operations.js';
import { membershipView } from '../../shared/members/membership.js';

/**
 * POST /v1/invitations/{token}/accept; 201. With `Authorization: Bearer <access token>` the
 * signed-in user joins (no body, or `{}`); without, a new user joins with a name and a password.
 * Public route (no API Gateway authorizer): the pipeline hands over the bearer, the use case verifies it.
 */
export const handler = operationHandler(
  operations.acceptInvitation,
  { identity, verifier: tokenVerifier },
  async (request) => {
    const { params, audit, deps } = request;
    const membership = request.caller
      ? await acceptInvitationAsUser(deps, params.token, request.caller.bearer, audit)
      : await acceptInvitation(deps, params.token, request.body, audit);
    return { status: 201, body: membershipView(membership) };
  },
);
