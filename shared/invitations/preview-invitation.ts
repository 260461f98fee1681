import { batchGetConsistent } from '../data/batch-get.js';
import type { Database } from '../data/dynamo-client.js';
import { invitationKey, orgKey } from '../data/keys.js';
import { orgFromItem } from '../orgs/org-repository.js';
import { sha256 } from '../ids.js';
import type { Org } from '../orgs/org.js';
import type { Invitation } from './invitation.js';
import { invalidToken } from './invitation-errors.js';
import { getInvitationToken, invitationFromItem, unusableError } from './invitation-repository.js';

/**
 * The invitation a link stands for, if the link may still be used: two round trips (the token,
 * then invitation and org in one consistent BatchGetItem). Each way a link can fail has its own answer, none of
 * which says anything about an org the link does not belong to.
 */
export async function usableInvitation(
  db: Database,
  token: string,
  now: Date,
): Promise<{ invitation: Invitation; org: Org; tokenHash: string }> {
  const tokenHash = sha256(token);
  const found = await getInvitationToken(db, tokenHash);
  if (!found) throw invalidToken();
  const invitationItemKey = invitationKey(found.orgId, found.invitationId);
  const items = await batchGetConsistent(db, [invitationItemKey, orgKey(found.orgId)]);
  const invitationItem = items.find((i) => i.SK === invitationItemKey.SK);
  const orgItem = items.find((i) => i.SK === orgKey(found.orgId).SK);
  const invitation = invitationItem ? invitationFromItem(invitationItem) : undefined;
  const org = orgItem ? orgFromItem(orgItem) : undefined;
  const problem = unusableError(invitation, tokenHash, now);
  if (problem) throw problem;
  if (!invitation || !org) throw invalidToken();
  return { invitation, org, tokenHash };
}

/** What the invitee sees before accepting: only this invitation's org, inviter and role. */
export async function previewInvitation(db: Database, token: string, now: Date) {
  const { invitation, org } = await usableInvitation(db, token, now);
  return {
    orgName: org.name,
    inviter: {
      ...(invitation.invitedBy.name ? { name: invitation.invitedBy.name } : {}),
      email: invitation.invitedBy.email,
    },
    role: invitation.role,
    email: invitation.email,
    expiresAt: invitation.expiresAt,
  };
}
