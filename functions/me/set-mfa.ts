import { operationHandler } from '../../shared/http/handler.js';
import { identity } from '../../shared/identity/identity.js';
import { setOwnMfa } from '../../shared/me/set-mfa.js';
import * as operations from '../../shared/orgs/operations.js';

/** PUT /v1/me/mfa: turns the caller's authenticator-app factor on or off; 200 with the new state. */
export const handler = operationHandler(operations.setMfa, { identity }, async ({ body, caller, deps }) => ({
  status: 200,
  body: await setOwnMfa(deps, caller.userId, body.enabled, deps.now),
}));
