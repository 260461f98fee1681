import { tokenPathParams } from '../../shared/credentials/schemas.js';
import { httpHandler } from '../../shared/http/handler.js';
import { identity } from '../../shared/identity/identity.js';
import { confirmEmailChange } from '../../shared/users/email-change.js';

/** POST /v1/email-confirmations/{token}: the new address's owner confirms it, once. */
export const handler = httpHandler(
  { auth: { kind: 'public' }, params: tokenPathParams },
  async ({ params, db, audit }) => ({
    status: 200,
    body: await confirmEmailChange({ db, identity: identity() }, params.token, audit),
  }),
);
