import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  ForbiddenError,
  LastAdminError,
  NotFoundError,
  SeatLimitReachedError,
} from '../../../shared/errors.js';
import { changeMemberStatus } from '../../../shared/members/change-member-status.js';
import type { Membership } from '../../../shared/members/membership.js';
import { DEFAULT_ORG_SETTINGS } from '../../../shared/orgs/org.js';
import { aMembership, anAudit, anOrg, aUser } from '../../fakes/fixtures.js';
import { InMemoryMembers, RecordingSignOut, type MembersWorld } from '../../fakes/in-memory-members.js';

/**
 * The rules of suspending, deprovisioning and reactivating a member (seats, last admin, the
 * acting admin's role, and whose sessions end: DESIGN.md section 1), decided by the use case
 * over the in-memory store. The same store answers as the table does: its contract runs against
 * both in test/integration/member-store-contracts.integ.test.ts; the HTTP routes stay covered by
 * test/integration/members.integ.test.ts.
 */
const NOW = new Date('2026-12-01T10:00:00.000Z');
const audit = anAudit(NOW);

/** Acme: 3 seats, ada its admin, bob and cid members (cid suspended), every count agreeing. */
function acme(overrides: { maxSeats?: number; verifiedDomains?: string[]; extra?: MembersWorld } = {}) {
  const org = anOrg('acme', {
    maxSeats: overrides.maxSeats ?? 3,
    seatsUsed: 2,
    activeAdminCount: 1,
    memberCount: 3,
    settings: { ...DEFAULT_ORG_SETTINGS, verifiedDomains: overrides.verifiedDomains ?? [] },
  });
  const members = new InMemoryMembers({
    orgs: [org],
    users: [aUser('ada', { email: 'ada@acme.test' }), aUser('bob', { email: 'bob@acme.test' }), aUser('cid')],
    memberships: [
      aMembership('acme', 'ada', { role: 'org_admin' }),
      aMembership('acme', 'bob', { email: 'bob@acme.test' }),
      aMembership('acme', 'cid', { status: 'suspended' }),
    ],
  });
  if (overrides.extra) members.seed(overrides.extra);
  const identity = new RecordingSignOut();
  return { members, identity, deps: { members, identity } };
}

const ada = aMembership('acme', 'ada', { role: 'org_admin' });

describe('changeMemberStatus: seats', () => {
  it('suspending an active member frees their seat and records member.suspended at the request’s instant', async () => {
    const { members, deps } = acme();
    const result = await changeMemberStatus(deps, { orgId: 'acme', userId: 'bob', to: 'suspended', actor: ada }, audit);
    expect(result).toMatchObject({ status: 'suspended', version: 2, updatedAt: NOW.toISOString() });
    expect(members.org('acme')).toMatchObject({ seatsUsed: 1, activeAdminCount: 1, memberCount: 3 });
    expect(members.auditEvents).toEqual([
      expect.objectContaining({
        action: 'member.suspended',
        target: { type: 'member', id: 'bob' },
        before: { status: 'active' },
        after: { status: 'suspended' },
      }),
    ]);
  });

  it('reactivating takes a seat when one is free', async () => {
    const { members, deps } = acme();
    await changeMemberStatus(deps, { orgId: 'acme', userId: 'cid', to: 'active', actor: ada }, audit);
    expect(members.org('acme')).toMatchObject({ seatsUsed: 3 });
  });

  it('reactivating in a full org is refused with seat_limit_reached, and nothing changes', async () => {
    const { members, deps } = acme({ maxSeats: 2 });
    await expect(
      changeMemberStatus(deps, { orgId: 'acme', userId: 'cid', to: 'active', actor: ada }, audit),
    ).rejects.toBeInstanceOf(SeatLimitReachedError);
    expect(await members.getMembership('acme', 'cid')).toMatchObject({ status: 'suspended', version: 1 });
    expect(members.org('acme')).toMatchObject({ seatsUsed: 2 });
    expect(members.auditEvents).toEqual([]);
  });

  it('deprovisioning a suspended member moves no seat', async () => {
    const { members, deps } = acme();
    await changeMemberStatus(deps, { orgId: 'acme', userId: 'cid', to: 'deprovisioned', actor: undefined }, audit);
    expect(await members.getMembership('acme', 'cid')).toMatchObject({ status: 'deprovisioned' });
    expect(members.org('acme')).toMatchObject({ seatsUsed: 2 });
  });
});

describe('changeMemberStatus: last admin and the acting admin', () => {
  it('the last active admin cannot be suspended (last_admin), even by an operator', async () => {
    const { members, deps } = acme();
    await expect(
      changeMemberStatus(deps, { orgId: 'acme', userId: 'ada', to: 'suspended', actor: undefined }, audit),
    ).rejects.toBeInstanceOf(LastAdminError);
    expect(members.org('acme')).toMatchObject({ activeAdminCount: 1, seatsUsed: 2 });
  });

  it('an admin may be suspended while another active admin remains', async () => {
    const eve = aMembership('acme', 'eve', { role: 'org_admin' });
    const { members, deps } = acme({ extra: { memberships: [eve], users: [aUser('eve')] } });
    members.seed({ orgs: [{ ...members.org('acme')!, seatsUsed: 3, activeAdminCount: 2, memberCount: 4 }] });
    await changeMemberStatus(deps, { orgId: 'acme', userId: 'ada', to: 'suspended', actor: eve }, audit);
    expect(members.org('acme')).toMatchObject({ activeAdminCount: 1, seatsUsed: 2 });
  });

  it('an actor who lost the admin role meanwhile is refused (insufficient_role)', async () => {
    const { deps } = acme();
    const demoted: Membership = { ...aMembership('acme', 'cid', { status: 'suspended' }), role: 'org_admin' };
    await expect(
      changeMemberStatus(deps, { orgId: 'acme', userId: 'bob', to: 'suspended', actor: demoted }, audit),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('a member already in the status asked for is a 409 naming it; a stranger is a 404', async () => {
    const { deps } = acme();
    await expect(
      changeMemberStatus(deps, { orgId: 'acme', userId: 'cid', to: 'suspended', actor: ada }, audit),
    ).rejects.toMatchObject({ code: 'already_suspended' });
    await expect(
      changeMemberStatus(deps, { orgId: 'acme', userId: 'cid', to: 'suspended', actor: ada }, audit),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(
      changeMemberStatus(deps, { orgId: 'acme', userId: 'nobody', to: 'suspended', actor: ada }, audit),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('changeMemberStatus: whose sessions end (account ownership)', () => {
  it('a managed account (its domain verified by the org) losing its last active membership is signed out everywhere', async () => {
    const { members, identity, deps } = acme({ verifiedDomains: ['acme.test'] });
    await changeMemberStatus(deps, { orgId: 'acme', userId: 'bob', to: 'suspended', actor: ada }, audit);
    expect(members.user('bob')?.sessionsRevokedAt).toBe(NOW.toISOString());
    expect(identity.signedOut).toEqual(['bob']);
  });

  it('an account the org created and is the only org of is managed too', async () => {
    const { members, identity, deps } = acme({ extra: { users: [aUser('bob', { createdByOrgId: 'acme' })] } });
    await changeMemberStatus(deps, { orgId: 'acme', userId: 'bob', to: 'suspended', actor: ada }, audit);
    expect(members.user('bob')?.sessionsRevokedAt).toBe(NOW.toISOString());
    expect(identity.signedOut).toEqual(['bob']);
  });

  it('an account the org does not manage keeps its sessions: only this org closes (the membership’s status)', async () => {
    const { members, identity, deps } = acme();
    await changeMemberStatus(deps, { orgId: 'acme', userId: 'bob', to: 'suspended', actor: ada }, audit);
    expect(members.user('bob')?.sessionsRevokedAt).toBeNull();
    expect(identity.signedOut).toEqual([]);
  });

  it('a managed account still active in another org keeps its sessions', async () => {
    const { members, identity, deps } = acme({
      verifiedDomains: ['acme.test'],
      extra: { orgs: [anOrg('globex')], memberships: [aMembership('globex', 'bob')] },
    });
    await changeMemberStatus(deps, { orgId: 'acme', userId: 'bob', to: 'suspended', actor: ada }, audit);
    expect(members.user('bob')?.sessionsRevokedAt).toBeNull();
    expect(identity.signedOut).toEqual([]);
  });

  it('a platform operator’s account is managed by no org, even in a verified domain', async () => {
    const { members, identity, deps } = acme({
      verifiedDomains: ['acme.test'],
      extra: { users: [aUser('bob', { email: 'bob@acme.test', platformOperator: true })] },
    });
    await changeMemberStatus(deps, { orgId: 'acme', userId: 'bob', to: 'suspended', actor: ada }, audit);
    expect(members.user('bob')?.sessionsRevokedAt).toBeNull();
    expect(identity.signedOut).toEqual([]);
  });

  it('reactivation ends no session', async () => {
    const { members, identity, deps } = acme({ verifiedDomains: ['acme.test'] });
    await changeMemberStatus(deps, { orgId: 'acme', userId: 'cid', to: 'active', actor: ada }, audit);
    expect(members.user('cid')?.sessionsRevokedAt).toBeNull();
    expect(identity.signedOut).toEqual([]);
  });
});

describe('changeMemberStatus: a stale index read', () => {
  it('is refused by the version condition and repeated once on a strong read', async () => {
    /** The user's-memberships index a write behind: every membership one version old. */
    class LaggingIndex extends InMemoryMembers {
      reads = 0;
      override async membershipsOfUser(userId: string): Promise<Membership[]> {
        this.reads++;
        return (await super.membershipsOfUser(userId)).map((m) => ({ ...m, version: m.version - 1 }));
      }
    }
    const members = new LaggingIndex({
      orgs: [anOrg('acme', { seatsUsed: 2, activeAdminCount: 1, memberCount: 2 })],
      users: [aUser('ada'), aUser('bob')],
      memberships: [aMembership('acme', 'ada', { role: 'org_admin' }), aMembership('acme', 'bob', { version: 5 })],
    });
    const result = await changeMemberStatus(
      { members, identity: new RecordingSignOut() },
      { orgId: 'acme', userId: 'bob', to: 'suspended', actor: ada },
      audit,
    );
    expect(result).toMatchObject({ status: 'suspended', version: 6 });
    expect(members.reads).toBe(2);
    expect(members.auditEvents).toHaveLength(1);
  });
});

describe('changeMemberStatus: what the authorization already read (known)', () => {
  /** Counts the store's reads of the membership and of the account. */
  class CountingReads extends InMemoryMembers {
    strongReads = 0;
    accountReads = 0;
    override getMembership(orgId: string, userId: string) {
      this.strongReads++;
      return super.getMembership(orgId, userId);
    }
    override accountAndOrg(userId: string, orgId: string) {
      this.accountReads++;
      return super.accountAndOrg(userId, orgId);
    }
  }
  const world = () =>
    new CountingReads({
      orgs: [
        anOrg('acme', {
          seatsUsed: 2,
          activeAdminCount: 1,
          memberCount: 2,
          settings: { ...DEFAULT_ORG_SETTINGS, verifiedDomains: ['acme.test'] },
        }),
      ],
      users: [aUser('ada'), aUser('bob', { email: 'bob@acme.test' })],
      memberships: [aMembership('acme', 'ada', { role: 'org_admin' }), aMembership('acme', 'bob', { version: 3 })],
    });

  it('decides with the known membership, user and org, reading neither again', async () => {
    const members = world();
    const known = {
      org: { orgId: 'acme', verifiedDomains: ['acme.test'] },
      membership: (await members.getMembership('acme', 'bob'))!,
      user: aUser('bob', { email: 'bob@acme.test' }),
    };
    members.strongReads = 0;
    const identity = new RecordingSignOut();
    await changeMemberStatus(
      { members, identity },
      { orgId: 'acme', userId: 'bob', to: 'suspended', actor: ada, known },
      audit,
    );
    expect({ strong: members.strongReads, account: members.accountReads }).toEqual({ strong: 0, account: 0 });
    expect(identity.signedOut).toEqual(['bob']);
  });

  it('a known membership gone stale is refused by its version and read again, strongly', async () => {
    const members = world();
    const known = {
      org: { orgId: 'acme', verifiedDomains: ['acme.test'] },
      membership: aMembership('acme', 'bob', { version: 2 }),
      user: undefined,
    };
    const result = await changeMemberStatus(
      { members, identity: new RecordingSignOut() },
      {
        orgId: 'acme',
        userId: 'bob',
        to: 'active',
        actor: ada,
        known: { ...known, membership: { ...known.membership, status: 'suspended' } },
      },
      audit,
    ).catch((error: unknown) => error);
    // The strong read finds bob active already: the stale "suspended" is not acted on.
    expect(result).toMatchObject({ code: 'already_active' });
    expect(members.strongReads).toBe(1);
  });
});
