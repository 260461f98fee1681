import { batchGetConsistent } from '../data/batch-get.js';
import type { Database } from '../data/dynamo-client.js';
import { membershipKey, orgKey, ssoDomainClaimKey, userKey } from '../data/keys.js';
import { check, type TransactionStep } from '../data/transactions.js';
import { ConflictError, type DomainError } from '../errors.js';
import { membershipFromItem } from '../members/membership-repository.js';
import { orgFromItem } from '../orgs/org-repository.js';
import { roleGrants } from '../roles.js';
import { userFromItem } from '../users/user-repository.js';
import type { User } from '../users/user.js';
import { emailDomainOf } from './connection.js';
import { getConnection } from './connection-repository.js';

/** Why a password may not be used for an account: the org whose SSO it must use. */
export interface SsoPasswordBlock {
  orgId: string;
  orgName: string;
  /** The connection's name, to tell the person where to sign in. */
  connectionName: string;
}

const sameKey = (item: Record<string, unknown>, key: { PK: string; SK: string }) =>
  item.PK === key.PK && item.SK === key.SK;

/**
 * Whether an account may use a password (sign in, reset): not when its email lies in a domain an
 * SSO connection serves and that connection's org requires SSO. The org's members holding
 * `org:manage` (active) keep a break-glass password unless the org turned that off; platform
 * operators are never an org's to lock out. A person of the domain with no membership in the org
 * is blocked too: the domain is the org's (verified), and its IdP is who vouches for it.
 * Enforcement keys on the domain claim, so an org requiring SSO with no connection locks no-one out.
 */
export async function ssoPasswordBlock(
  db: Database,
  user: Pick<User, 'userId' | 'email' | 'platformOperator'>,
): Promise<SsoPasswordBlock | null> {
  if (user.platformOperator) return null;
  const [claim] = await batchGetConsistent(db, [ssoDomainClaimKey(emailDomainOf(user.email))]);
  if (!claim) return null;
  const orgId = claim.orgId as string;
  const items = await batchGetConsistent(db, [orgKey(orgId), membershipKey(orgId, user.userId)]);
  const orgItem = items.find((i) => sameKey(i, orgKey(orgId)));
  if (!orgItem) return null;
  const org = orgFromItem(orgItem);
  if (!org.settings.ssoRequired) return null;
  const membershipItem = items.find((i) => sameKey(i, membershipKey(orgId, user.userId)));
  const membership = membershipItem && membershipFromItem(membershipItem);
  const breakGlass =
    org.settings.ssoBreakGlassForAdmins &&
    membership?.status === 'active' &&
    roleGrants(org.customRoles, membership.role, 'org:manage');
  if (breakGlass) return null;
  const connection = await getConnection(db, orgId, claim.connectionId as string);
  return { orgId, orgName: org.name, connectionName: connection?.name ?? 'your identity provider' };
}

/** The sentence a refused password sign-in shows. */
export const ssoPasswordRefusal = (block: SsoPasswordBlock): string =>
  `${block.orgName} requires single sign-on: sign in with your work account (${block.connectionName}), not a password.`;

/** The same block for a user id (the pre-authentication trigger knows only the identity). */
export async function ssoPasswordBlockOfUser(db: Database, userId: string): Promise<SsoPasswordBlock | null> {
  const [item] = await batchGetConsistent(db, [userKey(userId)]);
  return item ? ssoPasswordBlock(db, userFromItem(item)) : null;
}

/** A password reset for an account that must sign in through SSO: 409 `sso_user`. */
export const ssoUserError = (block: SsoPasswordBlock): ConflictError =>
  new ConflictError(
    `${block.orgName} requires single sign-on for this account (${block.connectionName}); it has no Roster password to reset`,
    'sso_user',
  );

/** The domain-claim check below failed: the account's domain has an SSO connection. */
const DOMAIN_CLAIMED = 'sso_domain_claimed';

/**
 * A step for a password-reset transaction: the account's email domain has no SSO connection.
 * Most domains have none, so a reset checks this inside its one transaction instead of reading
 * the claim first; only when it fails (isSsoDomainClaimed) does the caller run ssoPasswordBlock.
 */
export function noSsoDomainClaimStep(db: Database, email: string): TransactionStep {
  return check(
    db,
    { key: ssoDomainClaimKey(emailDomainOf(email)), condition: 'attribute_not_exists(PK)' },
    (): DomainError => new ConflictError('The email domain has an SSO connection', DOMAIN_CLAIMED),
  );
}

export const isSsoDomainClaimed = (error: unknown): boolean =>
  error instanceof ConflictError && error.code === DOMAIN_CLAIMED;
