import type { AuditChange, AuditContext } from '../../shared/audit/audit-event.js';
import { ConcurrentModificationError, ForbiddenError, NotFoundError } from '../../shared/errors.js';
import type { AccountAndOrg } from '../../shared/members/end-access.js';
import type { MemberStatusStore, StatusCommit } from '../../shared/members/member-status-store.js';
import type { Membership } from '../../shared/members/membership.js';
import { counterDelta } from '../../shared/members/membership-steps.js';
import type { Org } from '../../shared/orgs/org.js';
import { counterChangeRefusal, freeSeats, keepsAnAdmin } from '../../shared/seats/seat-rules.js';
import { managingOrg, type AccountReader } from '../../shared/users/account-management.js';
import type { User } from '../../shared/users/user.js';

/** What the fake holds, as a test arranges it. */
export interface MembersWorld {
  orgs?: Org[];
  users?: User[];
  memberships?: Membership[];
}

const memberKey = (orgId: string, userId: string) => `${orgId}/${userId}`;

/**
 * The table's orgs, users and memberships in memory, for fast rule tests: a MemberStatusStore
 * (status changes) and an AccountReader (who manages an account). It answers as the table does,
 * condition for condition and in the transaction's step order (membership, org counters, actor,
 * user), so a use case meets the same refusals; the contract suites in test/contracts/ run the
 * same cases against it and against DynamoDB Local, so the two cannot drift apart unnoticed.
 * Reads and writes hand out copies: a test cannot change the state by holding on to an object.
 */
export class InMemoryMembers implements MemberStatusStore, AccountReader {
  private readonly orgs = new Map<string, Org>();
  private readonly users = new Map<string, User>();
  private readonly memberships = new Map<string, Membership>();
  /** Every audit event written, in order, with the context it was written in. */
  readonly auditEvents: (AuditChange & { audit: AuditContext })[] = [];

  constructor(world: MembersWorld = {}) {
    this.seed(world);
  }

  seed(world: MembersWorld): void {
    for (const org of world.orgs ?? []) this.orgs.set(org.orgId, structuredClone(org));
    for (const user of world.users ?? []) this.users.set(user.userId, structuredClone(user));
    for (const m of world.memberships ?? []) this.memberships.set(memberKey(m.orgId, m.userId), structuredClone(m));
  }

  /** The org as stored (its counters), for a test's assertions. */
  org(orgId: string): Org | undefined {
    return copy(this.orgs.get(orgId));
  }

  /** The user as stored (sessionsRevokedAt), for a test's assertions. */
  user(userId: string): User | undefined {
    return copy(this.users.get(userId));
  }

  getMembership(orgId: string, userId: string): Promise<Membership | undefined> {
    return Promise.resolve(copy(this.memberships.get(memberKey(orgId, userId))));
  }

  membershipsOfUser(userId: string): Promise<Membership[]> {
    return Promise.resolve([...this.memberships.values()].filter((m) => m.userId === userId).map((m) => copy(m)));
  }

  getUser(userId: string): Promise<User | undefined> {
    return Promise.resolve(copy(this.users.get(userId)));
  }

  orgIdsOf(userId: string): Promise<string[]> {
    return Promise.resolve([...this.memberships.values()].filter((m) => m.userId === userId).map((m) => m.orgId));
  }

  accountAndOrg(userId: string, orgId: string): Promise<AccountAndOrg> {
    const org = this.orgs.get(orgId);
    return Promise.resolve({ user: copy(this.users.get(userId)), org: org && managingOrg(copy(org)) });
  }

  commitStatusChange(change: StatusCommit): Promise<void> {
    try {
      this.commit(change);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  /** Every condition first, in the transaction's step order (the first failing one explains the refusal), then every write. */
  private commit({ current, next, actor, endAccountSessions, event, audit }: StatusCommit): void {
    const key = memberKey(current.orgId, current.userId);
    const stored = this.memberships.get(key);
    if (!stored) throw new NotFoundError('No such member');
    if (stored.version !== current.version) throw new ConcurrentModificationError();

    const delta = counterDelta(current, next);
    // A status change moves no role holders (they count every status); the fake models no role conditions.
    if (Object.keys(delta.roles ?? {}).length > 0) throw new Error('InMemoryMembers does not model role holder counts');
    // As orgCountersStep: the org item is written (and conditioned) only when a counter moves.
    const moves = delta.seats !== 0 || delta.admins !== 0 || delta.members !== 0 || (delta.scimDeleted ?? 0) !== 0;
    const org = this.orgs.get(current.orgId);
    const refused =
      moves &&
      (!org ||
        (delta.seats > 0 && freeSeats(org) < delta.seats) ||
        (delta.admins < 0 && !keepsAnAdmin(org.activeAdminCount, delta.admins)));
    if (refused) throw counterChangeRefusal(org ? { ...org } : undefined, delta);

    if (actor && actor.userId !== current.userId) {
      const acting = this.memberships.get(memberKey(actor.orgId, actor.userId));
      if (!acting) throw new ConcurrentModificationError();
      if (acting.status !== 'active' || acting.role !== actor.role)
        throw new ForbiddenError('Your own membership changed while this request ran', 'insufficient_role');
    }
    const user = this.users.get(current.userId);
    if (endAccountSessions && !user) throw new ConcurrentModificationError();

    this.memberships.set(key, { ...copy(next), version: current.version + 1 });
    if (moves && org)
      this.orgs.set(org.orgId, {
        ...org,
        seatsUsed: org.seatsUsed + delta.seats,
        activeAdminCount: org.activeAdminCount + delta.admins,
        memberCount: org.memberCount + delta.members,
        scimDeletedCount: (org.scimDeletedCount ?? 0) + (delta.scimDeleted ?? 0),
      });
    if (endAccountSessions && user)
      this.users.set(user.userId, { ...user, sessionsRevokedAt: audit.now.toISOString() });
    this.auditEvents.push({ ...structuredClone(event), audit });
  }
}

/** An identity provider that records whose sessions it ended (the one call a status change makes). */
export class RecordingSignOut {
  readonly signedOut: string[] = [];

  globalSignOut(userId: string): Promise<void> {
    this.signedOut.push(userId);
    return Promise.resolve();
  }
}

function copy<T>(value: T): T {
  return structuredClone(value);
}
