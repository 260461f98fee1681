import { config } from '../../shared/config.js';
import { requestPasswordReset } from '../../shared/credentials/credential-actions.js';
import { httpHandler } from '../../shared/http/handler.js';
import { identity } from '../../shared/identity/identity.js';
import { memberPathParams } from '../../shared/members/schemas.js';

/** POST /v1/orgs/{orgId}/members/{userId}/reset-password: the member is mailed a reset link; 202. */
export const handler = httpHandler(
  { auth: { kind: 'orgMember', permission: 'members:manage' }, params: memberPathParams },
  async ({ params, db, audit }) => {
    await requestPasswordReset(
      { db, identity: identity(), appUrl: config().appUrl },
      params.orgId,
      params.userId,
      audit,
    );
    return { status: 202 };
  },
);
