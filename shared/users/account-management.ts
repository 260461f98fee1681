import type { Database } from '../data/dynamo-client.js';
import { listMembershipsOfUser } from '../members/membership-repository.js';
import { getUser } from './user-repository.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import type { Org } from '../orgs/org.js';
import type { User } from './user.js';

/**
 * Who may act on a person's account (email, password, MFA, sign-in, sessions everywhere):
 * DESIGN.md section 1, "Accounts and who may act on them". Membership changes are always the
 * org's; the account is only the org's when it manages it.
 */
export interface AccountFacts {
  email: string;
  platformOperator: boolean;
  /** The org that created the account, if one did. */
  createdByOrgId: string | null;
  /** Every org the account has a membership in (any status). */
  orgIds: readonly string[];
}

export interface ManagingOrg {
  orgId: string;
  verifiedDomains: readonly string[];
}

/** The domain of a normalized email address (after the last `@`). */
export const emailDomainOf = (email: string): string =>
  email
    .slice(email.lastIndexOf('@') + 1)
    .trim()
    .toLowerCase();

/** True when the address lies in one of the domains (exact domain match; subdomains are domains of their own). */
export const emailInDomains = (email: string, domains: readonly string[]): boolean =>
  domains.includes(emailDomainOf(email));

/**
 * The org manages the account when its email lies in one of the org's verified domains, or
 * the org created it and is its only org. No org manages a platform operator's account.
 */
export function orgManagesAccount(org: ManagingOrg, account: AccountFacts): boolean {
  if (account.platformOperator) return false;
  if (emailInDomains(account.email, org.verifiedDomains)) return true;
  return account.createdByOrgId === org.orgId && account.orgIds.length === 1 && account.orgIds[0] === org.orgId;
}

/**
 * The same rule for a page of members, from the user records alone: whether the home org is
 * the account's only org is not known there, so a home org's row shows managed as long as it
 * created the account. Each account action decides with accountManagement, exactly.
 */
export function orgManagesAccountHint(
  org: ManagingOrg,
  user: Pick<User, 'email' | 'platformOperator' | 'createdByOrgId'>,
): boolean {
  if (user.platformOperator) return false;
  return emailInDomains(user.email, org.verifiedDomains) || user.createdByOrgId === org.orgId;
}

export const accountNotManaged = () =>
  new ForbiddenError(
    "This person's account is not managed by this organization: it may change the membership only",
    'account_not_managed',
  );

/** The reads the account rule needs: the table's repositories (accountReader), or an in-memory fake in unit tests. */
export interface AccountReader {
  /** The user record, strongly consistent. */
  getUser(userId: string): Promise<User | undefined>;
  /** The orgs the account has a membership in (any status). */
  orgIdsOf(userId: string): Promise<string[]>;
}

/** AccountReader over the table: the user record (consistent) and the user's memberships (one Query). */
export const accountReader = (db: Database): AccountReader => ({
  getUser: (userId) => getUser(db, userId),
  orgIdsOf: async (userId) => (await listMembershipsOfUser(db, userId)).map((m) => m.orgId),
});

/** The account's facts, read (from the table, or from the reader given), and whether the org manages it. */
export async function accountManagement(
  source: Database | AccountReader,
  org: ManagingOrg,
  userId: string,
): Promise<{ user: User; managed: boolean }> {
  // Callers pass the table (the handlers' `db`); unit tests pass a reader.
  const reader = 'client' in source ? accountReader(source) : source;
  const [user, memberOf] = await Promise.all([reader.getUser(userId), reader.orgIdsOf(userId)]);
  if (!user) throw new NotFoundError('No such member');
  const orgIds = [...new Set(memberOf)];
  return {
    user,
    managed: orgManagesAccount(org, {
      email: user.email,
      platformOperator: user.platformOperator,
      createdByOrgId: user.createdByOrgId,
      orgIds,
    }),
  };
}

/** The user record, or 403 `account_not_managed` unless the org manages the account. */
export async function requireManagedAccount(
  db: Database | AccountReader,
  org: ManagingOrg,
  userId: string,
): Promise<User> {
  const { user, managed } = await accountManagement(db, org, userId);
  if (!managed) throw accountNotManaged();
  return user;
}

/** An org as the rule needs it. */
export const managingOrg = (org: Pick<Org, 'orgId' | 'settings'>): ManagingOrg => ({
  orgId: org.orgId,
  verifiedDomains: org.settings.verifiedDomains,
});
