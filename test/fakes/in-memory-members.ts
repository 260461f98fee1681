import type { AuditChange, AuditContext } from '../../shared/audit/audit-event.js';
import { normalizeEmail } from '../../shared/data/keys.js';
import {
  ConcurrentModificationError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  type DomainError,
} from '../../shared/errors.js';
import type { AddCommit, AddMemberStore } from '../../shared/members/add-member-store.js';
import type { BulkRoleCommit, BulkRoleStore } from '../../shared/members/bulk-role-store.js';
import type { AccountAndOrg } from '../../shared/members/end-access.js';
import type { MemberRemovalStore, RemovalCommit } from '../../shared/members/member-removal-store.js';
import type { MemberStatusStore, StatusCommit } from '../../shared/members/member-status-store.js';
import type { Membership } from '../../shared/members/membership.js';
import {
  counterDelta,
  roleChangeRefusal,
  sumDeltas,
  type CounterDelta,
} from '../../shared/members/membership-steps.js';
import type { ReplaceCommit, ReplaceMemberStore } from '../../shared/members/replace-member-store.js';
import type { Org } from '../../shared/orgs/org.js';
import type { ScimMember, ScimMemberRead } from '../../shared/scim/scim-user-repository.js';
import type { ScimUserProfile } from '../../shared/scim/user-state.js';
import { counterChangeRefusal, freeSeats, keepsAnAdmin } from '../../shared/seats/seat-rules.js';
import { emailTaken } from '../../shared/users/email-change.js';
import { managingOrg, type AccountReader } from '../../shared/users/account-management.js';
import { newUserRecord, type User } from '../../shared/users/user.js';

/** A member's SCIM profile as stored beside the membership (its version: 1 and up). */
export interface StoredScimProfile {
  orgId: string;
  userId: string;
  profile: ScimUserProfile;
  version: number;
}

/** What the fake holds, as a test arranges it. Every user claims their email, as the table's users do. */
export interface MembersWorld {
  orgs?: Org[];
  users?: User[];
  memberships?: Membership[];
  teams?: { orgId: string; teamId: string }[];
  scimProfiles?: StoredScimProfile[];
}

const memberKey = (orgId: string, userId: string) => `${orgId}/${userId}`;

/**
 * The table's orgs, users, email claims, teams, memberships and SCIM profiles in memory, for
 * fast rule tests: every member store (status changes, adds, removals, bulk roles, replaces)
 * and an AccountReader (who manages an account). It answers as the table does, condition for
 * condition and in each transaction's step order, so a use case meets the same refusals; the
 * contract suites in test/contracts/ run the same cases against it and against DynamoDB Local,
 * so the two cannot drift apart unnoticed. Every commit checks all its conditions before it
 * writes anything (all or nothing). Reads and writes hand out copies: a test cannot change the
 * state by holding on to an object.
 */
export class InMemoryMembers
  implements MemberStatusStore, AddMemberStore, MemberRemovalStore, BulkRoleStore, ReplaceMemberStore, AccountReader
{
  private readonly orgs = new Map<string, Org>();
  private readonly users = new Map<string, User>();
  /** Normalized email → the user holding its claim. */
  private readonly emailClaims = new Map<string, string>();
  private readonly teams = new Set<string>();
  private readonly memberships = new Map<string, Membership>();
  private readonly scimProfiles = new Map<string, StoredScimProfile>();
  /** `${orgId}/${externalId}` → the user holding it. */
  private readonly externalIds = new Map<string, string>();
  /** Every audit event written, in order, with the context it was written in. */
  readonly auditEvents: (AuditChange & { audit: AuditContext })[] = [];
  /** Every confirmation link mailed (an email change outside the verified domains), in order. */
  readonly emailConfirmations: { orgId: string; userId: string; email: string }[] = [];
  /** The identity provider's address of each account whose email moved at once. */
  readonly identityEmails = new Map<string, string>();

  constructor(world: MembersWorld = {}) {
    this.seed(world);
  }

  seed(world: MembersWorld): void {
    for (const org of world.orgs ?? []) this.orgs.set(org.orgId, copy(org));
    for (const user of world.users ?? []) {
      this.users.set(user.userId, copy(user));
      this.emailClaims.set(normalizeEmail(user.email), user.userId);
    }
    for (const m of world.memberships ?? []) this.memberships.set(memberKey(m.orgId, m.userId), copy(m));
    for (const t of world.teams ?? []) this.teams.add(memberKey(t.orgId, t.teamId));
    for (const p of world.scimProfiles ?? []) {
      this.scimProfiles.set(memberKey(p.orgId, p.userId), copy(p));
      if (p.profile.externalId !== null) this.externalIds.set(memberKey(p.orgId, p.profile.externalId), p.userId);
    }
  }

  /** The org as stored (its counters), for a test's assertions. */
  org(orgId: string): Org | undefined {
    return copy(this.orgs.get(orgId));
  }

  /** The user as stored (sessionsRevokedAt, email), for a test's assertions. */
  user(userId: string): User | undefined {
    return copy(this.users.get(userId));
  }

  /** Drops a user's record and keeps their claim: a state the table should never hold, which an add must refuse. */
  dropUserRecord(userId: string): void {
    this.users.delete(userId);
  }

  /** Who holds the email's claim, for a test's assertions. */
  claimOf(email: string): string | undefined {
    return this.emailClaims.get(normalizeEmail(email));
  }

  /** The member's SCIM profile as stored, and who holds an externalId in the org, for a test's assertions. */
  scimProfile(orgId: string, userId: string): StoredScimProfile | undefined {
    return copy(this.scimProfiles.get(memberKey(orgId, userId)));
  }

  externalIdHolder(orgId: string, externalId: string): string | undefined {
    return this.externalIds.get(memberKey(orgId, externalId));
  }

  // Reads

  getMembership(orgId: string, userId: string): Promise<Membership | undefined> {
    return Promise.resolve(copy(this.memberships.get(memberKey(orgId, userId))));
  }

  membershipsOfUser(userId: string): Promise<Membership[]> {
    return Promise.resolve([...this.memberships.values()].filter((m) => m.userId === userId).map((m) => copy(m)));
  }

  membershipsOf(orgId: string, userIds: readonly string[]): Promise<Membership[]> {
    return Promise.resolve(
      userIds.flatMap((userId) => {
        const m = this.memberships.get(memberKey(orgId, userId));
        return m ? [copy(m)] : [];
      }),
    );
  }

  /** The fake's reads never lag, so a fresh read answers as any other (a test overrides it to lag). */
  async memberWithOthers(
    orgId: string,
    userId: string,
    _fresh?: boolean,
  ): Promise<Pick<ScimMemberRead, 'member' | 'others'>> {
    const all = await this.membershipsOfUser(userId);
    const membership = all.find((m) => m.orgId === orgId);
    const stored = this.scimProfiles.get(memberKey(orgId, userId));
    const member: ScimMember | undefined = membership && {
      membership,
      profile: copy(stored?.profile),
      profileVersion: stored?.version ?? 0,
    };
    return { member, others: all.filter((m) => m.orgId !== orgId) };
  }

  getUser(userId: string): Promise<User | undefined> {
    return Promise.resolve(copy(this.users.get(userId)));
  }

  getOrg(orgId: string): Promise<Org | undefined> {
    return Promise.resolve(copy(this.orgs.get(orgId)));
  }

  emailHolder(email: string): Promise<string | undefined> {
    return Promise.resolve(this.claimOf(email));
  }

  orgIdsOf(userId: string): Promise<string[]> {
    return Promise.resolve([...this.memberships.values()].filter((m) => m.userId === userId).map((m) => m.orgId));
  }

  accountAndOrg(userId: string, orgId: string): Promise<AccountAndOrg> {
    const org = this.orgs.get(orgId);
    return Promise.resolve({ user: copy(this.users.get(userId)), org: org && managingOrg(copy(org)) });
  }

  // Commits: each checks every condition first, in its transaction's step order (the first
  // failing one explains the refusal, as transactWrite reports it), then writes.

  commitStatusChange(change: StatusCommit): Promise<void> {
    return settle(() => {
      const { current, next, actor, endAccountSessions, event, audit } = change;
      this.checkVersion(current);
      const delta = counterDelta(current, next);
      this.checkCounters(current.orgId, delta);
      this.checkActor(actor, current.userId);
      if (endAccountSessions) this.checkUserExists(current.userId);

      this.memberships.set(memberKey(current.orgId, current.userId), { ...copy(next), version: current.version + 1 });
      this.moveCounters(current.orgId, delta);
      if (endAccountSessions) this.endSessions(current.userId, audit.now);
      this.audit(event, audit);
    });
  }

  commitAdd(add: AddCommit): Promise<void> {
    return settle(() => {
      const { membership, newPerson, event, audit } = add;
      const { orgId, userId, email } = membership;
      if (this.memberships.has(memberKey(orgId, userId)))
        throw new ConflictError(`${membership.email} is already a member`, 'already_member');
      if (newPerson) {
        if (this.users.has(userId)) throw new ConcurrentModificationError();
        if (this.emailClaims.has(email))
          throw new ConcurrentModificationError(`${email} is being added by another request; retry`);
      } else if (!this.users.has(userId)) throw emailTaken(email);
      const delta = counterDelta(undefined, membership);
      this.checkCounters(orgId, delta);
      if (membership.teamId) this.checkTeam(orgId, membership.teamId);

      this.memberships.set(memberKey(orgId, userId), { ...copy(membership), version: 1 });
      if (newPerson) {
        const at = audit.now.toISOString();
        this.users.set(
          userId,
          newUserRecord({ userId, email, name: membership.name, createdByOrgId: orgId }, at, {
            identityState: 'pending',
          }),
        );
        this.emailClaims.set(email, userId);
      }
      this.moveCounters(orgId, delta);
      this.audit(event, audit);
    });
  }

  commitRemoval(removal: RemovalCommit): Promise<void> {
    return settle(() => {
      const { current, scim, actor, endAccountSessions, event, audit } = removal;
      const { orgId, userId } = current;
      const key = memberKey(orgId, userId);
      // A Delete conditioned on `version = :seen` fails alike for a membership changed or gone.
      if (this.memberships.get(key)?.version !== current.version) throw new ConcurrentModificationError();
      const delta = counterDelta(current, undefined);
      this.checkCounters(orgId, delta);
      this.checkActor(actor, userId);
      if (endAccountSessions) this.checkUserExists(userId);
      const stored = this.scimProfiles.get(key);
      if (!scim.profile ? stored !== undefined : stored?.version !== scim.profileVersion)
        throw new ConcurrentModificationError();
      const externalId = scim.profile?.externalId ?? null;
      if (externalId !== null && this.externalIds.get(memberKey(orgId, externalId)) !== userId)
        throw new ConcurrentModificationError();

      this.memberships.delete(key);
      this.moveCounters(orgId, delta);
      if (endAccountSessions) this.endSessions(userId, audit.now);
      this.scimProfiles.delete(key);
      if (externalId !== null) this.externalIds.delete(memberKey(orgId, externalId));
      this.audit(event, audit);
    });
  }

  commitBulkRole(change: BulkRoleCommit): Promise<void> {
    return settle(() => {
      const { orgId, moves, actor, event, audit } = change;
      for (const { current } of moves) this.checkVersion(current);
      const delta = moves.map((m) => counterDelta(m.current, m.next)).reduce(sumDeltas);
      this.checkCounters(orgId, delta);
      // The step has no target to skip: an actor given is always checked.
      this.checkActor(actor, '');

      for (const { current, next } of moves)
        this.memberships.set(memberKey(orgId, current.userId), { ...copy(next), version: current.version + 1 });
      this.moveCounters(orgId, delta);
      this.audit(event, audit);
    });
  }

  commitReplace(change: ReplaceCommit): Promise<void> {
    return settle(() => {
      const { current, next, actor, email, event, audit } = change;
      const { orgId, userId } = current;
      // emailChangeSteps reads the claim before it builds the transaction: a taken address is refused first.
      if (email.kind === 'now') {
        const holder = this.claimOf(email.email);
        if (holder && holder !== userId) throw emailTaken(email.email);
      }
      this.checkVersion(current);
      const delta = counterDelta(current, next);
      this.checkCounters(orgId, delta);
      if (next.teamId && next.teamId !== current.teamId) this.checkTeam(orgId, next.teamId);
      this.checkActor(actor, userId);
      const others =
        email.kind === 'now'
          ? [...this.memberships.values()].filter((m) => m.userId === userId && m.orgId !== orgId)
          : [];
      if (email.kind === 'now') {
        if (this.emailClaims.has(normalizeEmail(email.email))) throw emailTaken(email.email);
        if (this.claimOf(current.email) !== userId) throw new ConcurrentModificationError();
        this.checkUserExists(userId);
      }

      this.memberships.set(memberKey(orgId, userId), { ...copy(next), version: current.version + 1 });
      this.moveCounters(orgId, delta);
      if (email.kind === 'now') {
        this.emailClaims.set(normalizeEmail(email.email), userId);
        this.emailClaims.delete(normalizeEmail(current.email));
        const user = this.users.get(userId)!;
        this.users.set(userId, { ...user, email: email.email });
        for (const m of others)
          this.memberships.set(memberKey(m.orgId, userId), {
            ...m,
            email: email.email,
            pendingEmail: m.pendingEmail === email.email ? null : (m.pendingEmail ?? null),
            version: m.version + 1,
          });
        this.identityEmails.set(userId, next.email);
      }
      if (email.kind === 'confirm') this.emailConfirmations.push({ orgId, userId, email: email.email });
      this.audit(event, audit);
    });
  }

  // The conditions, as the steps of membership-steps.ts and the repositories state them

  /** membershipWriteSteps on an existing membership: the version read (409), or 404 when gone. */
  private checkVersion(current: Membership): void {
    const stored = this.memberships.get(memberKey(current.orgId, current.userId));
    if (!stored) throw new NotFoundError('No such member');
    if (stored.version !== current.version) throw new ConcurrentModificationError();
  }

  /** orgCountersStep: written (and conditioned) only when a counter moves. */
  private checkCounters(orgId: string, delta: CounterDelta): void {
    if (!moves(delta)) return;
    const org = this.orgs.get(orgId);
    const gaining = Object.entries(delta.roles ?? {}).filter(([, d]) => d.holders > 0);
    const refused =
      !org ||
      (delta.seats > 0 && freeSeats(org) < delta.seats) ||
      (delta.admins < 0 && !keepsAnAdmin(org.activeAdminCount, delta.admins)) ||
      gaining.some(([key, d]) => {
        // roleHolderClauses: the custom role still exists, holding org:manage exactly as assumed.
        const role = org.customRoles[key];
        return !role || role.permissions.includes('org:manage') !== d.managesOrg;
      });
    if (!refused) return;
    const item = org ? ({ ...org } as Record<string, unknown>) : undefined;
    throw (roleChangeRefusal(item, Object.entries(delta.roles ?? {})) ??
      counterChangeRefusal(item, delta)) as DomainError;
  }

  private moveCounters(orgId: string, delta: CounterDelta): void {
    const org = this.orgs.get(orgId);
    if (!moves(delta) || !org) return;
    const roleHolders = { ...org.roleHolders };
    for (const [key, d] of Object.entries(delta.roles ?? {})) roleHolders[key] = (roleHolders[key] ?? 0) + d.holders;
    this.orgs.set(orgId, {
      ...org,
      seatsUsed: org.seatsUsed + delta.seats,
      activeAdminCount: org.activeAdminCount + delta.admins,
      memberCount: org.memberCount + delta.members,
      scimDeletedCount: (org.scimDeletedCount ?? 0) + (delta.scimDeleted ?? 0),
      roleHolders,
    });
  }

  /** actorStillAdminStep: skipped for operators and for the target acting on themselves. */
  private checkActor(actor: Membership | undefined, targetUserId: string): void {
    if (!actor || actor.userId === targetUserId) return;
    const acting = this.memberships.get(memberKey(actor.orgId, actor.userId));
    if (!acting) throw new ConcurrentModificationError();
    if (acting.status !== 'active' || acting.role !== actor.role)
      throw new ForbiddenError('Your own membership changed while this request ran', 'insufficient_role');
  }

  /** teamExistsStep. */
  private checkTeam(orgId: string, teamId: string): void {
    if (!this.teams.has(memberKey(orgId, teamId)))
      throw new ValidationError([{ field: 'teamId', message: 'is not a team of this organization' }]);
  }

  /** The user-record updates (sessions, email): the record must exist. */
  private checkUserExists(userId: string): void {
    if (!this.users.has(userId)) throw new ConcurrentModificationError();
  }

  private endSessions(userId: string, now: Date): void {
    const user = this.users.get(userId);
    if (user) this.users.set(userId, { ...user, sessionsRevokedAt: now.toISOString() });
  }

  private audit(event: AuditChange, audit: AuditContext): void {
    this.auditEvents.push({ ...copy(event), audit });
  }
}

/** An identity provider that records whose sessions it ended (the one call a status change or removal makes). */
export class RecordingSignOut {
  readonly signedOut: string[] = [];

  globalSignOut(userId: string): Promise<void> {
    this.signedOut.push(userId);
    return Promise.resolve();
  }
}

/** Whether a delta moves any counter of the org item (orgCountersStep writes nothing otherwise). */
function moves(delta: CounterDelta): boolean {
  return (
    delta.seats !== 0 ||
    delta.admins !== 0 ||
    delta.members !== 0 ||
    (delta.scimDeleted ?? 0) !== 0 ||
    Object.values(delta.roles ?? {}).some((d) => d.holders !== 0)
  );
}

/** A synchronous commit as the store's promise: its refusal rejects. */
function settle(commit: () => void): Promise<void> {
  try {
    commit();
    return Promise.resolve();
  } catch (error) {
    return Promise.reject(error as Error);
  }
}

function copy<T>(value: T): T {
  return structuredClone(value);
}
