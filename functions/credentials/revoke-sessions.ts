import { knownTarget } from '../../shared/http/authorize.js';
import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/credentials/operations.js';
import { config } from '../../shared/config.js';
import { revokeSessions } from '../../shared/credentials/credential-actions.js';
import { identity } from '../../shared/identity/identity.js';
import { managingOrg } from '../../shared/users/account-management.js';

/** POST /v1/orgs/{orgId}/members/{userId}/revoke-sessions: tokens issued before now stop working (everywhere for a managed account, else in this org). */
export const handler = operationHandler(
  operations.revokeSessions,
  { identity },
  async ({ caller, params, audit, deps }) => {
    await revokeSessions(
      { ...deps, appUrl: config().appUrl },
      managingOrg(caller.org),
      params.userId,
      audit,
      knownTarget(caller),
    );
    return { status: 204 };
  },
);
