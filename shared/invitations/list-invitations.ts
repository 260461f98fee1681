import type { Database } from '../data/dynamo-client.js';
import type { Page } from '../data/pagination.js';
import { invitationView, type InvitationView } from './invitation.js';
import { queryInvitations } from './invitation-repository.js';
import type { ListInvitationsQuery } from './schemas.js';

/** One page of an org's invitations, newest first, optionally of one status: a Query of limit+1 items. */
export async function listInvitations(
  db: Database,
  orgId: string,
  query: ListInvitationsQuery,
): Promise<Page<InvitationView>> {
  const page = await queryInvitations(db, orgId, query.status, query.limit, query.cursor);
  return { items: page.items.map(invitationView), nextCursor: page.nextCursor };
}
