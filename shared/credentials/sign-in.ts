import type { Database } from '../data/dynamo-client.js';
import { batchGetConsistent } from '../data/batch-get.js';
import { orgKey, userKey } from '../data/keys.js';
import { ORG_ENTITY, orgFromItem } from '../orgs/org-repository.js';
import { recordUserMfaChange, recordUserSignIn, userFromItem } from '../users/user-repository.js';
import { managingOrg, orgManagesAccount } from '../users/account-management.js';
import { listMembershipsOfUser, recordMembershipSignIn } from '../members/membership-repository.js';
import type { IdentityPort } from '../identity/identity-port.js';

/**
 * Why a sign-in is refused, in words the SPA can show; null when it may go on. Blocking
 * sign-in acts on the account, so only an org that manages it can: the account is refused
 * when it has no active membership and an org that manages it suspended or deprovisioned it.
 * A membership an unmanaging org made inactive closes that org only.
 */
export async function signInRefusal(db: Database, userId: string): Promise<string | null> {
  const memberships = await listMembershipsOfUser(db, userId);
  // A user without memberships may still sign in: to accept an invitation or ask to join.
  if (memberships.length === 0 || memberships.some((m) => m.status === 'active')) return null;
  const orgIds = [...new Set(memberships.map((m) => m.orgId))];
  const items = await batchGetConsistent(db, [userKey(userId), ...orgIds.map(orgKey)]);
  const userItem = items.find((i) => i.PK === userKey(userId).PK && i.SK === userKey(userId).SK);
  if (!userItem) return null;
  const user = userFromItem(userItem);
  const facts = {
    email: user.email,
    platformOperator: user.platformOperator,
    createdByOrgId: user.createdByOrgId,
    orgIds,
  };
  const orgs = items.filter((i) => i.entity === ORG_ENTITY).map(orgFromItem);
  if (!orgs.some((org) => orgManagesAccount(managingOrg(org), facts))) return null;
  return 'Your access to every organization you belong to is suspended; contact your administrator.';
}

/**
 * Records a sign-in: lastLoginAt on the user and each membership (with the index key that
 * sorts members by last login), the MFA state the provider reports and, given the identity's
 * username, that the identity exists (and its username when it is not the user id).
 */
export async function recordSignIn(
  deps: { db: Database; identity: IdentityPort },
  userId: string,
  now: Date,
  /** The provider's username of the identity that signed in (Cognito's post-authentication event). */
  username?: string,
): Promise<void> {
  const { db } = deps;
  const at = now.toISOString();
  const [memberships, identityUser] = await Promise.all([
    listMembershipsOfUser(db, userId),
    deps.identity.getUser(userId),
  ]);
  // A membership removed in the meantime fails its condition; that is not an error.
  const results = await Promise.allSettled([
    recordUserSignIn(db, userId, at, identityUser?.mfaEnabled ?? false, username),
    ...memberships.map((m) => recordMembershipSignIn(db, m, at)),
  ]);
  const failure = results.find((r) => r.status === 'rejected');
  if (failure) throw failure.reason;
}

/**
 * Records that the person turned their MFA on or off (`mfaEnabled`, `mfaChangedAt` on the user
 * record), so the authorizer, which reads the user record in the BatchGetItem it already makes,
 * refuses an `mfaRequired` org on the very next request rather than at the next sign-in. Writes
 * only a change (mfaChangedAt is when it changed). An identity without a Roster record (no org
 * yet) has nothing to record.
 */
export async function recordMfaPreference(db: Database, userId: string, enabled: boolean, now: Date): Promise<void> {
  await recordUserMfaChange(db, userId, enabled, now.toISOString());
}

/**
 * Records the MFA state the identity provider reports now. Cognito tells Roster nothing when a
 * person turns MFA off directly (its SetUserMFAPreference, authorized by the person's own access
 * token); the pre-token-generation trigger runs this on every token refresh, so the change
 * reaches the authorizer within one access-token lifetime instead of at the next sign-in.
 */
export async function syncMfaState(deps: { db: Database; identity: IdentityPort }, userId: string, now: Date) {
  const identityUser = await deps.identity.getUser(userId);
  if (identityUser) await recordMfaPreference(deps.db, userId, identityUser.mfaEnabled, now);
}
