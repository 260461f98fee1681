import { config } from '../../shared/config.js';
import { resetMfa } from '../../shared/credentials/credential-actions.js';
import { httpHandler } from '../../shared/http/handler.js';
import { identity } from '../../shared/identity/identity.js';
import { memberPathParams } from '../../shared/members/schemas.js';
import { managingOrg } from '../../shared/users/account-management.js';

/** POST /v1/orgs/{orgId}/members/{userId}/reset-mfa: factors disabled, sessions ended. */
export const handler = httpHandler(
  { auth: { kind: 'orgMember', permission: 'members:manage' }, params: memberPathParams },
  async ({ caller, params, db, audit }) => {
    await resetMfa(
      { db, identity: identity(), appUrl: config().appUrl },
      managingOrg(caller.org),
      params.userId,
      audit,
    );
    return { status: 204 };
  },
);
