import { completePasswordReset } from '../../shared/credentials/complete-password-reset.js';
import { completePasswordResetBody, tokenPathParams } from '../../shared/credentials/schemas.js';
import { httpHandler } from '../../shared/http/handler.js';
import { identity } from '../../shared/identity/identity.js';

/** POST /v1/password-resets/{token}: the token's holder sets their password, once. */
export const handler = httpHandler(
  { auth: { kind: 'public' }, params: tokenPathParams, body: completePasswordResetBody },
  async ({ params, body, db, audit }) => {
    await completePasswordReset({ db, identity: identity() }, params.token, body.password, audit);
    return { status: 204 };
  },
);
