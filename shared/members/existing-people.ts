import { batchGetAll } from '../data/batch-get.js';
import type { Database } from '../data/dynamo-client.js';
import { emailClaimKey, membershipKey, pendingInvitationClaimKey, type ItemKey } from '../data/keys.js';

/** Of some (normalized) emails: who is already a member of the org, who already has a pending invitation to it. */
export interface ExistingPeople {
  members: Set<string>;
  invited: Set<string>;
}

/**
 * Which of `emails` are already in the org, for a bulk request (bulk invite, CSV preview,
 * an import batch's re-check): one list of email claims and pending-invitation claims, then
 * the memberships of the users found, each a consistent BatchGetItem per 100 keys, never two
 * reads per address. The writes re-check both in their transactions.
 */
export async function findExistingPeople(
  db: Database,
  orgId: string,
  emails: readonly string[],
): Promise<ExistingPeople> {
  const found: ExistingPeople = { members: new Set(), invited: new Set() };
  if (emails.length === 0) return found;
  const keyId = (key: ItemKey) => `${key.PK}\n${key.SK}`;
  const claimOf = new Map<string, { email: string; kind: 'user' | 'invitation' }>();
  const keys = emails.flatMap((email) => {
    const user = emailClaimKey(email);
    const invitation = pendingInvitationClaimKey(orgId, email);
    claimOf.set(keyId(user), { email, kind: 'user' });
    claimOf.set(keyId(invitation), { email, kind: 'invitation' });
    return [user, invitation];
  });
  const emailOfUser = new Map<string, string>();
  for (const item of await batchGetAll(db, keys)) {
    const claim = claimOf.get(keyId(item as ItemKey));
    if (claim?.kind === 'invitation') found.invited.add(claim.email);
    else if (claim && typeof item.userId === 'string') emailOfUser.set(item.userId, claim.email);
  }
  const memberships = await batchGetAll(
    db,
    [...emailOfUser.keys()].map((userId) => membershipKey(orgId, userId)),
  );
  for (const m of memberships) found.members.add(emailOfUser.get(m.userId as string)!);
  return found;
}
