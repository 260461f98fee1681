import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/invitations/operations.js';
import { config } from '../../shared/config.js';
import { createInvitations, inviterOf } from '../../shared/invitations/create-invitations.js';

/** POST /v1/orgs/{orgId}/invitations: invite one or many emails; 200 with what was created and what was refused. */
export const handler = operationHandler(operations.createInvitations, async ({ caller, body, audit, deps }) => ({
  status: 200,
  body: await createInvitations(
    { db: deps.db, appUrl: config().appUrl, clock: deps.clock },
    caller.org,
    inviterOf(caller),
    body,
    audit,
    caller.membership,
  ),
}));
