import { config } from '../../shared/config.js';
import { httpHandler } from '../../shared/http/handler.js';
import { createInvitations, inviterOf } from '../../shared/invitations/create-invitations.js';
import { createInvitationsBody } from '../../shared/invitations/schemas.js';
import { orgPathParams } from '../../shared/schemas.js';

/** POST /v1/orgs/{orgId}/invitations: invite one or many emails; 200 with what was created and what was refused. */
export const handler = httpHandler(
  { auth: { kind: 'orgMember', permission: 'members:manage' }, params: orgPathParams, body: createInvitationsBody },
  async ({ caller, body, db, audit }) => ({
    status: 200,
    body: await createInvitations({ db, appUrl: config().appUrl }, caller.org, inviterOf(caller), body, audit),
  }),
);
