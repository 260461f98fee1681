import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/credentials/operations.js';
import { completePasswordReset } from '../../shared/credentials/complete-password-reset.js';
import { identity } from '../../shared/identity/identity.js';

/** POST /v1/password-resets/{token}: the token's holder sets their password, once. */
export const handler = operationHandler(
  operations.completePasswordReset,
  { identity },
  async ({ params, body, audit, deps }) => {
    await completePasswordReset(deps, params.token, body.password, audit);
    return { status: 204 };
  },
);
