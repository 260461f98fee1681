import { batchGetConsistent } from '../data/batch-get.js';
import type { Database } from '../data/dynamo-client.js';
import { userKey } from '../data/keys.js';
import { userFromItem } from '../data/user-repository.js';
import type { AuthSource } from '../users/user.js';
import { membershipView, type Membership } from './membership.js';

/** A member as admins see them: the membership plus how the person signs in (the SSO badge). */
export type MemberDetails = ReturnType<typeof membershipView> & { authSource: AuthSource };

/**
 * Adds each member's sign-in method from their user record, for a whole page in one
 * BatchGetItem (≤ 100 keys), so the badge is always current and never copied around.
 */
export async function withSignInMethod(db: Database, memberships: Membership[]): Promise<MemberDetails[]> {
  if (memberships.length === 0) return [];
  const users = new Map((await batchGetConsistent(db, [...new Set(memberships.map((m) => m.userId))].map(userKey))).map(userFromItem).map((u) => [u.userId, u]));
  return memberships.map((m) => ({ ...membershipView(m), authSource: users.get(m.userId)?.authSource ?? { kind: 'password' } }));
}
