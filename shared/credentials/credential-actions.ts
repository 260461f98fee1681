import { auditStep, type AuditContext } from '../audit/audit-event.js';
import { batchGetConsistent } from '../data/batch-get.js';
import type { Database } from '../data/dynamo-client.js';
import { membershipKey, userKey } from '../data/keys.js';
import { rateLimitStep, type RateLimit } from '../data/rate-limit.js';
import { transactWrite } from '../data/transactions.js';
import { userFromItem, userMfaResetStep, userSessionsRevokedStep } from '../users/user-repository.js';
import { ConflictError, NotFoundError, TooManyRequestsError } from '../errors.js';
import type { IdentityPort } from '../identity/identity-port.js';
import { signOutEverywhere, type KnownTarget } from '../members/end-access.js';
import type { User } from '../users/user.js';
import { membershipFromItem, membershipSessionsRevokedStep } from '../members/membership-repository.js';
import type { Membership } from '../members/membership.js';
import { accountManagement, accountNotManaged, accountReader, type ManagingOrg } from '../users/account-management.js';
import { passwordTokenSteps } from './password-token.js';
import { isSsoDomainClaimed, noSsoDomainClaimStep, ssoPasswordBlock, ssoUserError } from '../sso/enforcement.js';

export interface CredentialDeps {
  db: Database;
  identity: IdentityPort;
  appUrl: string;
}

/**
 * The member's user record and membership; only members of the path's org can be acted on from
 * it. As the authorization read them (KnownTarget), or in one consistent BatchGetItem.
 */
async function memberUser(
  db: Database,
  orgId: string,
  userId: string,
  known?: KnownTarget,
): Promise<{ user: User; membership: Membership }> {
  const { user, membership } = known ?? (await readMemberUser(db, orgId, userId));
  // The membership proves the user belongs to the path's org.
  if (!user || !membership) throw new NotFoundError('No such member');
  return { user, membership };
}

async function readMemberUser(
  db: Database,
  orgId: string,
  userId: string,
): Promise<{ user: User | undefined; membership: Membership | undefined }> {
  const items = await batchGetConsistent(db, [membershipKey(orgId, userId), userKey(userId)]);
  const userItem = items.find((i) => i.PK === userKey(userId).PK && i.SK === userKey(userId).SK);
  const membershipItem = items.find(
    (i) => i.PK === membershipKey(orgId, userId).PK && i.SK === membershipKey(orgId, userId).SK,
  );
  return {
    user: userItem ? userFromItem(userItem) : undefined,
    membership: membershipItem ? membershipFromItem(membershipItem) : undefined,
  };
}

/** Whether the org manages the account, from the user record already read and the account's memberships (one Query). */
function managedAccount(db: Database, org: ManagingOrg, user: User): Promise<{ managed: boolean }> {
  return accountManagement({ ...accountReader(db), getUser: () => Promise.resolve(user) }, org, user.userId);
}

/**
 * Ends the member's sessions now. For an account the org manages: everywhere (Roster's
 * revocation time on the user, checked in every org, and the provider's refresh tokens). For
 * one it does not: in this org only (a revocation time on the membership), the person's other
 * orgs and their sign-in untouched.
 */
export async function revokeSessions(
  deps: CredentialDeps,
  org: ManagingOrg,
  userId: string,
  audit: AuditContext,
  known?: KnownTarget,
): Promise<{ scope: 'account' | 'membership' }> {
  const { user, membership } = await memberUser(deps.db, org.orgId, userId, known);
  const { managed } = await managedAccount(deps.db, org, user);
  await transactWrite(deps.db, [
    managed
      ? userSessionsRevokedStep(deps.db, userId, audit.now)
      : membershipSessionsRevokedStep(deps.db, membership, audit.now),
    auditStep(
      deps.db,
      {
        orgId: org.orgId,
        action: 'member.sessions_revoked',
        target: { type: 'member', id: userId },
        after: { scope: managed ? 'account' : 'membership' },
      },
      audit,
    ),
  ]);
  if (managed) await signOutEverywhere(deps.identity, userId);
  return { scope: managed ? 'account' : 'membership' };
}

/** Reset mails admins may have sent to one account in an hour, whichever orgs ask (DESIGN.md section 1: rate-limited). */
export const ADMIN_PASSWORD_RESET_LIMIT: RateLimit = { scope: 'pwreset-account', limit: 5, windowSeconds: 3600 };

/**
 * Mails the member a single-use reset link (72 h) at their own address; the admin never sees
 * the token and the current password keeps working until the reset completes. At most
 * ADMIN_PASSWORD_RESET_LIMIT an account, counted across every org (429 past it).
 */
export async function requestPasswordReset(
  deps: CredentialDeps,
  orgId: string,
  userId: string,
  audit: AuditContext,
  known?: KnownTarget,
): Promise<void> {
  // The account's own current address, from its user record: never one an org typed in.
  const { user } = await memberUser(deps.db, orgId, userId, known);
  if (user.authSource.kind === 'sso')
    throw new ConflictError(`This user signs in through ${user.authSource.idp}; reset the password there`, 'sso_user');
  const steps = async (checkDomain: boolean) => [
    // Whether the org of the account's domain requires SSO is read only when the domain has a connection.
    ...(checkDomain && !user.platformOperator ? [noSsoDomainClaimStep(deps.db, user.email)] : []),
    // Counted in the reset's own transaction: past the limit no token and no mail are written.
    rateLimitStep(
      deps.db,
      ADMIN_PASSWORD_RESET_LIMIT,
      userId,
      audit.now,
      (retryAfter) =>
        new TooManyRequestsError(
          `At most ${ADMIN_PASSWORD_RESET_LIMIT.limit} password resets an hour may be sent to one account; try again later`,
          'password_reset_rate_limited',
          retryAfter,
        ),
    ),
    ...(await passwordTokenSteps(deps.db, {
      orgId,
      userId,
      email: user.email,
      name: user.name,
      appUrl: deps.appUrl,
      now: audit.now,
    })),
    auditStep(
      deps.db,
      { orgId, action: 'member.password_reset_requested', target: { type: 'member', id: userId } },
      audit,
    ),
  ];
  try {
    await transactWrite(deps.db, await steps(true));
    return;
  } catch (error) {
    if (!isSsoDomainClaimed(error)) throw error;
  }
  const ssoBlock = await ssoPasswordBlock(deps.db, user);
  if (ssoBlock) throw ssoUserError(ssoBlock);
  await transactWrite(deps.db, await steps(false));
}

/**
 * Turns off the member's MFA factors at the provider, forgets Roster's MFA state and ends
 * their sessions; an org with mfaRequired refuses them until they enrol again.
 * Roster holds no recovery codes of its own yet, so there are none to delete.
 */
export async function resetMfa(
  deps: CredentialDeps,
  org: ManagingOrg,
  userId: string,
  audit: AuditContext,
  known?: KnownTarget,
): Promise<void> {
  const orgId = org.orgId;
  const { user } = await memberUser(deps.db, orgId, userId, known);
  const { managed } = await managedAccount(deps.db, org, user);
  if (!managed) throw accountNotManaged();
  await deps.identity.disableMfa(userId);
  await transactWrite(deps.db, [
    userMfaResetStep(deps.db, userId, audit.now),
    auditStep(
      deps.db,
      {
        orgId,
        action: 'member.mfa_reset',
        target: { type: 'member', id: userId },
        before: { mfaEnabled: user.mfaEnabled },
        after: { mfaEnabled: false },
      },
      audit,
    ),
  ]);
  await signOutEverywhere(deps.identity, userId);
}
