import { config } from '../../shared/config.js';
import { requestOwnPasswordReset } from '../../shared/credentials/forgot-password.js';
import { forgotPasswordBody } from '../../shared/credentials/schemas.js';
import { httpHandler } from '../../shared/http/handler.js';

/** POST /v1/password-resets: "Forgot password?"; 202 whatever the address, so it reveals no account. */
export const handler = httpHandler(
  { auth: { kind: 'public' }, body: forgotPasswordBody },
  async ({ body, db, audit }) => {
    await requestOwnPasswordReset({ db, appUrl: config().appUrl }, body.email, audit);
    return { status: 202 };
  },
);
