import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/credentials/operations.js';
import { config } from '../../shared/config.js';
import { requestOwnPasswordReset } from '../../shared/credentials/forgot-password.js';

/** POST /v1/password-resets: "Forgot password?"; 202 whatever the address, so it reveals no account. */
export const handler = operationHandler(operations.forgotPassword, async ({ body, audit, deps }) => {
  await requestOwnPasswordReset({ db: deps.db, appUrl: config().appUrl }, body.email, audit);
  return { status: 202 };
});
