import { batchGetConsistent } from '../data/batch-get.js';
import type { Database } from '../data/dynamo-client.js';
import { orgKey, userKey } from '../data/keys.js';
import { getMembership, listMembershipsOfUser } from './membership-repository.js';
import { orgFromItem } from '../orgs/org-repository.js';
import { userFromItem, userSessionsRevokedStep } from '../users/user-repository.js';
import { managingOrg, orgManagesAccount, type ManagingOrg } from '../users/account-management.js';
import type { TransactionStep } from '../data/transactions.js';
import { logger } from '../logger.js';
import { ConcurrentModificationError } from '../errors.js';
import type { IdentityPort } from '../identity/identity-port.js';
import type { Membership } from './membership.js';
import type { User } from '../users/user.js';

/**
 * What the request's authorization already read (authorize.ts, an operation's `targetParam`):
 * the org, and the target's membership and user record, strongly consistent; undefined items
 * were not there. A change conditions its writes on what it read, so using these is as safe as
 * reading them again, one round trip sooner.
 */
export interface KnownTarget {
  org: ManagingOrg;
  membership: Membership | undefined;
  user: User | undefined;
}

/** The part of KnownTarget that decides whether a change ends the account's sessions. */
export type KnownAccount = Pick<KnownTarget, 'org' | 'user'>;

/** A membership about to end or leave `active`, and whether its user keeps another active one. */
export interface LeavingMembership {
  current: Membership | undefined;
  /**
   * Ends every session in the change's own transaction when no other active membership remains
   * and the org manages the account (see accountSessionEnd).
   */
  sessionEnd: TransactionStep | undefined;
}

/**
 * Reads the membership and the user's other memberships in one Query of the user's
 * memberships (GSI1). The index may lag a write by a moment, so `fresh` reads the membership
 * strongly instead; the change's version condition refuses a stale read either way, and
 * `withFreshRetry` repeats the change once with a fresh read when that happens.
 */
export async function readLeavingMembership(
  db: Database,
  orgId: string,
  userId: string,
  now: Date,
  fresh: boolean,
  /** The authorization's read of the target: its membership is used on the first attempt (a retry reads again). */
  known?: KnownTarget,
): Promise<LeavingMembership> {
  const { current, endsAccountSessions } = await readLeaving(membershipReads(db), orgId, userId, fresh, known);
  return { current, sessionEnd: endsAccountSessions ? userSessionsRevokedStep(db, userId, now) : undefined };
}

/** The reads deciding whether a membership leaving `active` ends the account's sessions (the table's, or a fake's). */
export interface LeavingReads {
  /** The membership, strongly consistent. */
  getMembership(orgId: string, userId: string): Promise<Membership | undefined>;
  /** The user's memberships in every org (an index: may lag a write by a moment). */
  membershipsOfUser(userId: string): Promise<Membership[]>;
  /** The account and the org as the account rule needs them, read together and consistently; undefined items were not there. */
  accountAndOrg(userId: string, orgId: string): Promise<AccountAndOrg>;
}

export interface AccountAndOrg {
  user: User | undefined;
  org: ManagingOrg | undefined;
}

/** LeavingReads over the table: one Query of the user's memberships, a GetItem, one BatchGetItem. */
export const membershipReads = (db: Database): LeavingReads => ({
  getMembership: (orgId, userId) => getMembership(db, orgId, userId),
  membershipsOfUser: (userId) => listMembershipsOfUser(db, userId),
  accountAndOrg: (userId, orgId) => readAccountAndOrg(db, userId, orgId),
});

/** readLeavingMembership's reads and decision, over any LeavingReads: the membership, and whether the account's sessions end with it. */
export async function readLeaving(
  reads: LeavingReads,
  orgId: string,
  userId: string,
  fresh: boolean,
  known?: KnownTarget,
): Promise<{ current: Membership | undefined; endsAccountSessions: boolean }> {
  const memberships = await reads.membershipsOfUser(userId);
  const indexed = fresh ? undefined : known ? known.membership : memberships.find((m) => m.orgId === orgId);
  const current = indexed ?? (await reads.getMembership(orgId, userId));
  return { current, endsAccountSessions: await endsAccountSessionsAfter(reads, orgId, userId, memberships, known) };
}

/** Runs a change built on an index read; if the read was stale, once more on a strong read. */
export async function withFreshRetry<T>(change: (fresh: boolean) => Promise<T>): Promise<T> {
  try {
    return await change(false);
  } catch (error) {
    if (!(error instanceof ConcurrentModificationError)) throw error;
    return change(true);
  }
}

/** accountSessionEnd for a membership of `orgId` leaving `active` or going (`others`: the user's memberships in other orgs). */
export function sessionEndUnlessActiveElsewhere(
  db: Database,
  orgId: string,
  others: readonly Membership[],
  userId: string,
  now: Date,
  known?: KnownAccount,
): Promise<TransactionStep | undefined> {
  return accountSessionEnd(db, orgId, userId, others, now, known);
}

/**
 * Ends every session of a user whose membership of `orgId` leaves `active` (or goes) when no
 * active membership remains elsewhere, but only when the org manages the account: signing a
 * person out everywhere acts on the account (DESIGN.md section 1). For an account the org
 * does not manage, the membership's own change closes this org and nothing more.
 */
async function accountSessionEnd(
  db: Database,
  orgId: string,
  userId: string,
  memberships: readonly Membership[],
  now: Date,
  known: KnownAccount | undefined,
): Promise<TransactionStep | undefined> {
  const ends = await endsAccountSessionsAfter(membershipReads(db), orgId, userId, memberships, known);
  return ends ? userSessionsRevokedStep(db, userId, now) : undefined;
}

/**
 * accountSessionEnd's rule, over any reads (the table's, or a fake's): the user record and the org
 * are read (one consistent read) only when no other org is active and the authorization has not
 * read them already (`known`).
 */
export async function endsAccountSessionsAfter(
  reads: Pick<LeavingReads, 'accountAndOrg'>,
  orgId: string,
  userId: string,
  memberships: readonly Membership[],
  known: KnownAccount | undefined,
): Promise<boolean> {
  if (memberships.some((m) => m.orgId !== orgId && m.status === 'active')) return false;
  const { user, org } = known ?? (await reads.accountAndOrg(userId, orgId));
  if (!user || !org) return false;
  return orgManagesAccount(org, {
    email: user.email,
    platformOperator: user.platformOperator,
    createdByOrgId: user.createdByOrgId,
    orgIds: [...new Set([orgId, ...memberships.map((m) => m.orgId)])],
  });
}

/** The user record and the org, in one consistent BatchGetItem. */
async function readAccountAndOrg(db: Database, userId: string, orgId: string): Promise<AccountAndOrg> {
  const items = await batchGetConsistent(db, [userKey(userId), orgKey(orgId)]);
  const userItem = items.find((i) => i.PK === userKey(userId).PK && i.SK === userKey(userId).SK);
  const orgItem = items.find((i) => i.PK === orgKey(orgId).PK && i.SK === orgKey(orgId).SK);
  return {
    user: userItem ? userFromItem(userItem) : undefined,
    org: orgItem ? managingOrg(orgFromItem(orgItem)) : undefined,
  };
}

/**
 * Ends the provider's sessions (refresh tokens) after the change committed. Roster already
 * refuses the user's tokens by then, so a provider failure is logged rather than undoing it.
 */
export async function signOutEverywhere(identity: Pick<IdentityPort, 'globalSignOut'>, userId: string): Promise<void> {
  try {
    await identity.globalSignOut(userId);
  } catch (error) {
    logger.error('global sign-out failed; Roster-side revocation still holds', { userId, error: error as Error });
  }
}
