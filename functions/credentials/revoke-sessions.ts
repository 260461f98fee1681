import { config } from '../../shared/config.js';
import { revokeSessions } from '../../shared/credentials/credential-actions.js';
import { httpHandler } from '../../shared/http/handler.js';
import { identity } from '../../shared/identity/identity.js';
import { memberPathParams } from '../../shared/members/schemas.js';
import { managingOrg } from '../../shared/users/account-management.js';

/** POST /v1/orgs/{orgId}/members/{userId}/revoke-sessions: tokens issued before now stop working (everywhere for a managed account, else in this org). */
export const handler = httpHandler(
  { auth: { kind: 'orgMember', permission: 'members:manage' }, params: memberPathParams },
  async ({ caller, params, db, audit }) => {
    await revokeSessions(
      { db, identity: identity(), appUrl: config().appUrl },
      managingOrg(caller.org),
      params.userId,
      audit,
    );
    return { status: 204 };
  },
);
