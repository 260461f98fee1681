import { httpHandler } from '../../shared/http/handler.js';
import { listInvitations } from '../../shared/invitations/list-invitations.js';
import { listInvitationsQuery } from '../../shared/invitations/schemas.js';
import { orgPathParams } from '../../shared/schemas.js';

/** GET /v1/orgs/{orgId}/invitations: one page, newest first, optionally of one status. */
export const handler = httpHandler(
  { auth: { kind: 'orgMember', permission: 'members:manage' }, params: orgPathParams, query: listInvitationsQuery },
  async ({ params, query, db }) => ({ status: 200, body: await listInvitations(db, params.orgId, query) }),
);
