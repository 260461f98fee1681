import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ConcurrentModificationError,
  ForbiddenError,
  LastAdminError,
  NotFoundError,
  SeatLimitReachedError,
} from '../../shared/errors.js';
import type { MemberStatusStore, StatusCommit } from '../../shared/members/member-status-store.js';
import type { Membership, MembershipStatus } from '../../shared/members/membership.js';
import { DEFAULT_ORG_SETTINGS } from '../../shared/orgs/org.js';
import type { MembersWorld } from '../fakes/in-memory-members.js';
import type { MembersSubject } from './member-world.js';
import { aMembership, anAudit, anOrg, aUser } from '../fakes/fixtures.js';

/** One implementation of MemberStatusStore under test, with what the contract needs to arrange and look. */
export type MemberStatusStoreSubject = MembersSubject<MemberStatusStore>;

const NOW = new Date('2026-12-01T10:00:00.000Z');

/**
 * An org with two seats, both taken: its only admin and bob (active), and cid (suspended, no
 * seat); ann holds a membership recorded as `member`. Fresh ids each time, so cases against
 * one table never meet.
 */
function fullOrg() {
  const id = randomUUID().slice(0, 8);
  const orgId = `org-${id}`;
  const otherOrgId = `other-${id}`;
  const [admin, bob, cid, ann] = ['admin', 'bob', 'cid', 'ann'].map((name) => `${name}-${id}`) as [
    string,
    string,
    string,
    string,
  ];
  const world = {
    orgs: [
      anOrg(orgId, {
        maxSeats: 3,
        seatsUsed: 3,
        activeAdminCount: 1,
        memberCount: 4,
        settings: { ...DEFAULT_ORG_SETTINGS, verifiedDomains: ['example.test'] },
      }),
      anOrg(otherOrgId, { seatsUsed: 1, memberCount: 1 }),
    ],
    users: [aUser(admin), aUser(bob), aUser(cid), aUser(ann)],
    memberships: [
      aMembership(orgId, admin, { role: 'org_admin' }),
      aMembership(orgId, bob),
      aMembership(orgId, cid, { status: 'suspended', version: 4 }),
      aMembership(orgId, ann),
      aMembership(otherOrgId, bob, { role: 'org_admin' }),
    ],
  } satisfies MembersWorld;
  const membership = (userId: string) => world.memberships.find((m) => m.orgId === orgId && m.userId === userId)!;
  return { orgId, otherOrgId, admin, bob, cid, ann, world, membership };
}

function statusCommit(
  current: Membership,
  to: MembershipStatus,
  fields: Partial<Omit<StatusCommit, 'current' | 'next'>> = {},
): StatusCommit {
  return {
    current,
    next: { ...current, status: to, updatedAt: NOW.toISOString() },
    actor: undefined,
    endAccountSessions: false,
    event: { orgId: current.orgId, action: `test.${to}`, target: { type: 'member', id: current.userId } },
    audit: anAudit(NOW),
    ...fields,
  };
}

/**
 * The cases every MemberStatusStore answers alike: the table's (DynamoDB Local) and the
 * in-memory fake the rule tests use. A case that fails for one of them only is a fake that
 * drifted from the table (or a table step that changed without its fake).
 */
export function memberStatusStoreContract(name: string, subject: () => MemberStatusStoreSubject): void {
  describe(`MemberStatusStore contract: ${name}`, () => {
    async function arranged() {
      const s = subject();
      const o = fullOrg();
      await s.seed(o.world);
      return { s, ...o };
    }

    it('reads a membership strongly, and nothing for a stranger', async () => {
      const { s, orgId, bob, membership } = await arranged();
      expect(await s.store.getMembership(orgId, bob)).toEqual(membership(bob));
      expect(await s.store.getMembership(orgId, 'nobody')).toBeUndefined();
    });

    it("lists a user's memberships in every org, and only theirs", async () => {
      const { s, orgId, otherOrgId, bob } = await arranged();
      const orgs = (await s.store.membershipsOfUser(bob)).map((m) => `${m.orgId}:${m.role}`).sort();
      expect(orgs).toEqual([`${orgId}:member`, `${otherOrgId}:org_admin`].sort());
    });

    it('reads the account and the org together, each undefined when not there', async () => {
      const { s, orgId, bob, world } = await arranged();
      const read = await s.store.accountAndOrg(bob, orgId);
      expect(read.user).toEqual(world.users.find((u) => u.userId === bob));
      expect(read.org).toEqual({ orgId, verifiedDomains: ['example.test'] });
      expect(await s.store.accountAndOrg('nobody', orgId)).toEqual({ user: undefined, org: read.org });
      expect(await s.store.accountAndOrg(bob, 'no-org')).toEqual({ user: read.user, org: undefined });
    });

    it('commits a suspension: the membership moves on a version, the seat is freed, the audit event written', async () => {
      const { s, orgId, bob, membership } = await arranged();
      await s.store.commitStatusChange(statusCommit(membership(bob), 'suspended'));
      expect(await s.store.getMembership(orgId, bob)).toMatchObject({ status: 'suspended', version: 2 });
      expect(await s.org(orgId)).toMatchObject({ seatsUsed: 2, activeAdminCount: 1, memberCount: 4 });
      expect(await s.auditActions(orgId)).toEqual(['test.suspended']);
      expect((await s.user(bob))?.sessionsRevokedAt).toBeNull();
    });

    it("ends the account's sessions at the change's instant when asked", async () => {
      const { s, bob, membership } = await arranged();
      await s.store.commitStatusChange(statusCommit(membership(bob), 'suspended', { endAccountSessions: true }));
      expect((await s.user(bob))?.sessionsRevokedAt).toBe(NOW.toISOString());
    });

    it('refuses a reactivation without a free seat (seat_limit_reached naming maxSeats), writing nothing', async () => {
      const { s, orgId, cid, membership } = await arranged();
      const refusal = s.store.commitStatusChange(statusCommit(membership(cid), 'active'));
      await expect(refusal).rejects.toBeInstanceOf(SeatLimitReachedError);
      await expect(refusal).rejects.toMatchObject({ code: 'seat_limit_reached', message: 'Seat limit reached (3)' });
      expect(await s.store.getMembership(orgId, cid)).toMatchObject({ status: 'suspended', version: 4 });
      expect(await s.org(orgId)).toMatchObject({ seatsUsed: 3 });
      expect(await s.auditActions(orgId)).toEqual([]);
    });

    it('refuses suspending the last active admin (last_admin), writing nothing', async () => {
      const { s, orgId, admin, membership } = await arranged();
      const refusal = s.store.commitStatusChange(statusCommit(membership(admin), 'suspended'));
      await expect(refusal).rejects.toBeInstanceOf(LastAdminError);
      expect(await s.store.getMembership(orgId, admin)).toMatchObject({ status: 'active', version: 1 });
      expect(await s.org(orgId)).toMatchObject({ seatsUsed: 3, activeAdminCount: 1 });
      expect(await s.auditActions(orgId)).toEqual([]);
    });

    it('refuses a change built on a stale version (concurrent_modification), and one of a membership gone (404)', async () => {
      const { s, orgId, bob, membership } = await arranged();
      const stale = { ...membership(bob), version: 7 };
      await expect(s.store.commitStatusChange(statusCommit(stale, 'suspended'))).rejects.toBeInstanceOf(
        ConcurrentModificationError,
      );
      const gone = aMembership(orgId, 'nobody');
      await expect(s.store.commitStatusChange(statusCommit(gone, 'suspended'))).rejects.toBeInstanceOf(NotFoundError);
      expect(await s.org(orgId)).toMatchObject({ seatsUsed: 3 });
    });

    it('refuses a change by an actor whose own membership no longer holds the role acted with (insufficient_role)', async () => {
      const { s, orgId, bob, ann, membership } = await arranged();
      // ann acted as an admin; the table says she is a plain member now.
      const actor = { ...membership(ann), role: 'org_admin' };
      const refusal = s.store.commitStatusChange(statusCommit(membership(bob), 'suspended', { actor }));
      await expect(refusal).rejects.toBeInstanceOf(ForbiddenError);
      await expect(refusal).rejects.toMatchObject({ code: 'insufficient_role' });
      expect(await s.store.getMembership(orgId, bob)).toMatchObject({ status: 'active', version: 1 });
    });

    it('lets an actor still holding the role act', async () => {
      const { s, orgId, admin, bob, membership } = await arranged();
      await s.store.commitStatusChange(statusCommit(membership(bob), 'suspended', { actor: membership(admin) }));
      expect(await s.store.getMembership(orgId, bob)).toMatchObject({ status: 'suspended' });
    });
  });
}
