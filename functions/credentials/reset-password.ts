import { knownTarget } from '../../shared/http/authorize.js';
import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/credentials/operations.js';
import { config } from '../../shared/config.js';
import { requestPasswordReset } from '../../shared/credentials/credential-actions.js';
import { identity } from '../../shared/identity/identity.js';

/** POST /v1/orgs/{orgId}/members/{userId}/reset-password: the member is mailed a reset link; 202. */
export const handler = operationHandler(
  operations.resetPassword,
  { identity },
  async ({ params, caller, audit, deps }) => {
    await requestPasswordReset(
      { ...deps, appUrl: config().appUrl },
      params.orgId,
      params.userId,
      audit,
      knownTarget(caller),
    );
    return { status: 202 };
  },
);
