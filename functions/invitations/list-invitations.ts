import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/invitations/operations.js';
import { listInvitations } from '../../shared/invitations/list-invitations.js';

/** GET /v1/orgs/{orgId}/invitations: one page, newest first, optionally of one status. */
export const handler = operationHandler(operations.listInvitations, async ({ params, query, deps }) => ({
  status: 200,
  body: await listInvitations(deps.db, params.orgId, query),
}));
