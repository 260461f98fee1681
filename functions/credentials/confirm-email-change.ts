import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/credentials/operations.js';
import { identity } from '../../shared/identity/identity.js';
import { confirmEmailChange } from '../../shared/users/email-change.js';

/** POST /v1/email-confirmations/{token}: the new address's owner confirms it, once. */
export const handler = operationHandler(
  operations.confirmEmailChange,
  { identity },
  async ({ params, audit, deps }) => ({
    status: 200,
    body: await confirmEmailChange(deps, params.token, audit),
  }),
);
