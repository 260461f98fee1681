import { batchGetConsistent } from '../data/batch-get.js';
import type { Database } from '../data/dynamo-client.js';
import { userKey } from '../data/keys.js';
import { userFromItem } from '../users/user-repository.js';
import { orgManagesAccountHint, type ManagingOrg } from '../users/account-management.js';
import type { AuthSource } from '../users/user.js';
import { membershipView, type Membership } from './membership.js';

/** A member as admins see them: the membership, how the person signs in (the SSO badge) and whether the org manages the account. */
export type MemberDetails = ReturnType<typeof membershipView> & { authSource: AuthSource; managed: boolean };

/**
 * Adds each member's sign-in method and `managed` from their user record, for a whole page in
 * one BatchGetItem (≤ 100 keys), so the badge is always current and never copied around.
 * `managed` here is the page hint (orgManagesAccountHint); getMember answers the exact rule.
 */
export async function withSignInMethod(
  db: Database,
  org: ManagingOrg,
  memberships: Membership[],
): Promise<MemberDetails[]> {
  if (memberships.length === 0) return [];
  const users = new Map(
    (await batchGetConsistent(db, [...new Set(memberships.map((m) => m.userId))].map(userKey)))
      .map(userFromItem)
      .map((u) => [u.userId, u]),
  );
  return memberships.map((m) => {
    const user = users.get(m.userId);
    return {
      ...membershipView(m),
      authSource: user?.authSource ?? { kind: 'password' },
      managed: user ? orgManagesAccountHint(org, user) : false,
    };
  });
}
