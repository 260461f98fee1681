import { httpHandler } from '../../shared/http/handler.js';
import { getMe } from '../../shared/me/get-me.js';

/** GET /v1/me: the signed-in user and their memberships. */
export const handler = httpHandler({ auth: { kind: 'signedIn' } }, async ({ caller, db }) => {
  return { status: 200, body: await getMe(db, caller) };
});
