import { describe, expect, it } from 'vitest';
import { ForbiddenError, LastAdminError, NotFoundError } from '../../../shared/errors.js';
import type { KnownAccount } from '../../../shared/members/end-access.js';
import { removeMember } from '../../../shared/members/remove-member.js';
import type { Membership } from '../../../shared/members/membership.js';
import { DEFAULT_ORG_SETTINGS } from '../../../shared/orgs/org.js';
import { EMPTY_PROFILE } from '../../../shared/scim/user-state.js';
import { aMembership, anAudit, anOrg, aUser } from '../../fakes/fixtures.js';
import { InMemoryMembers, RecordingSignOut, type MembersWorld } from '../../fakes/in-memory-members.js';

/**
 * The rules of removing a member and of a person leaving (the seat, the last admin, the acting
 * admin, whose sessions end, the SCIM profile, the audit event, the retry after a stale index
 * read), decided by the use case over the in-memory store. The same store answers as the table
 * does: its contract runs against both in test/integration/member-store-contracts.integ.test.ts;
 * the HTTP routes stay covered by test/integration/members.integ.test.ts.
 */
const NOW = new Date('2026-12-01T10:00:00.000Z');
const audit = anAudit(NOW);
const ada = aMembership('acme', 'ada', { role: 'org_admin' });

/** Acme: ada its admin, bob (with a SCIM profile) and cid (suspended) members; acme.test verified when asked. */
function acme(options: { verified?: boolean; extra?: MembersWorld } = {}) {
  const members = new InMemoryMembers({
    orgs: [
      anOrg('acme', {
        seatsUsed: 2,
        activeAdminCount: 1,
        memberCount: 3,
        settings: { ...DEFAULT_ORG_SETTINGS, verifiedDomains: options.verified ? ['acme.test'] : [] },
      }),
    ],
    users: [aUser('ada'), aUser('bob', { email: 'bob@acme.test' }), aUser('cid', { email: 'cid@acme.test' })],
    memberships: [
      ada,
      aMembership('acme', 'bob', { email: 'bob@acme.test' }),
      aMembership('acme', 'cid', { email: 'cid@acme.test', status: 'suspended' }),
    ],
    scimProfiles: [{ orgId: 'acme', userId: 'bob', profile: { ...EMPTY_PROFILE, externalId: 'okta-bob' }, version: 1 }],
  });
  if (options.extra) members.seed(options.extra);
  const identity = new RecordingSignOut();
  return { members, identity, deps: { members, identity } };
}

describe('removeMember: the seat, the profile and the audit event', () => {
  it('frees the seat, deletes the SCIM profile and its externalId, and records member.removed with the member as was', async () => {
    const { members, deps } = acme();
    await removeMember(deps, 'acme', 'bob', ada, audit);
    expect(await members.getMembership('acme', 'bob')).toBeUndefined();
    expect(members.org('acme')).toMatchObject({ seatsUsed: 1, memberCount: 2 });
    expect(members.scimProfile('acme', 'bob')).toBeUndefined();
    expect(members.externalIdHolder('acme', 'okta-bob')).toBeUndefined();
    expect(members.user('bob')).toBeDefined();
    expect(members.auditEvents).toEqual([
      expect.objectContaining({
        action: 'member.removed',
        target: { type: 'member', id: 'bob' },
        before: { email: 'bob@acme.test', name: 'bob', role: 'member', status: 'active' },
      }),
    ]);
  });

  it('a suspended member frees no seat', async () => {
    const { members, deps } = acme();
    await removeMember(deps, 'acme', 'cid', ada, audit);
    expect(members.org('acme')).toMatchObject({ seatsUsed: 2, memberCount: 2 });
  });

  it('a person leaving is recorded as member.left', async () => {
    const { members, deps } = acme();
    await removeMember(deps, 'acme', 'bob', undefined, audit, undefined, { leaving: true });
    expect(members.auditEvents.map((e) => e.action)).toEqual(['member.left']);
  });

  it('a stranger, and a member the caller says is not there (a SCIM User already deleted), are 404', async () => {
    const { members, deps } = acme();
    await expect(removeMember(deps, 'acme', 'nobody', ada, audit)).rejects.toBeInstanceOf(NotFoundError);
    await expect(removeMember(deps, 'acme', 'cid', ada, audit, (m) => m.status === 'suspended')).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect(members.org('acme')).toMatchObject({ memberCount: 3 });
  });
});

describe('removeMember: the last admin and the acting admin', () => {
  it('the last active admin cannot be removed, nor leave (last_admin)', async () => {
    const { members, deps } = acme();
    await expect(removeMember(deps, 'acme', 'ada', undefined, audit)).rejects.toBeInstanceOf(LastAdminError);
    await expect(
      removeMember(deps, 'acme', 'ada', undefined, audit, undefined, { leaving: true }),
    ).rejects.toBeInstanceOf(LastAdminError);
    expect(await members.getMembership('acme', 'ada')).toBeDefined();
  });

  it('an admin may go while another active admin remains', async () => {
    const eve = aMembership('acme', 'eve', { role: 'org_admin' });
    const { members, deps } = acme({ extra: { users: [aUser('eve')], memberships: [eve] } });
    members.seed({ orgs: [{ ...members.org('acme')!, activeAdminCount: 2, seatsUsed: 3, memberCount: 4 }] });
    await removeMember(deps, 'acme', 'ada', eve, audit);
    expect(members.org('acme')).toMatchObject({ activeAdminCount: 1 });
  });

  it('an actor who lost the admin role meanwhile is refused (insufficient_role)', async () => {
    const { members, deps } = acme();
    const demoted: Membership = { ...aMembership('acme', 'cid'), role: 'org_admin' };
    await expect(removeMember(deps, 'acme', 'bob', demoted, audit)).rejects.toBeInstanceOf(ForbiddenError);
    expect(await members.getMembership('acme', 'bob')).toBeDefined();
  });
});

describe('removeMember: whose sessions end (account ownership)', () => {
  it('a managed account losing its last active membership is signed out everywhere', async () => {
    const { members, identity, deps } = acme({ verified: true });
    await removeMember(deps, 'acme', 'bob', ada, audit);
    expect(members.user('bob')?.sessionsRevokedAt).toBe(NOW.toISOString());
    expect(identity.signedOut).toEqual(['bob']);
  });

  it('an account the org does not manage keeps its sessions', async () => {
    const { members, identity, deps } = acme();
    await removeMember(deps, 'acme', 'bob', ada, audit);
    expect(members.user('bob')?.sessionsRevokedAt).toBeNull();
    expect(identity.signedOut).toEqual([]);
  });

  it('a managed account still active in another org keeps its sessions', async () => {
    const { identity, deps } = acme({
      verified: true,
      extra: { orgs: [anOrg('globex')], memberships: [aMembership('globex', 'bob')] },
    });
    await removeMember(deps, 'acme', 'bob', ada, audit);
    expect(identity.signedOut).toEqual([]);
  });

  it('a person leaving keeps their sessions, even of a managed account', async () => {
    const { members, identity, deps } = acme({ verified: true });
    await removeMember(deps, 'acme', 'bob', undefined, audit, undefined, { leaving: true });
    expect(members.user('bob')?.sessionsRevokedAt).toBeNull();
    expect(identity.signedOut).toEqual([]);
  });

  it('decides with the account and org the authorization read (known), reading neither again', async () => {
    class CountingReads extends InMemoryMembers {
      accountReads = 0;
      override accountAndOrg(userId: string, orgId: string) {
        this.accountReads++;
        return super.accountAndOrg(userId, orgId);
      }
    }
    const { members: seeded } = acme();
    const members = new CountingReads();
    members.seed({
      orgs: [seeded.org('acme')!],
      users: [aUser('bob', { email: 'bob@acme.test' })],
      memberships: [aMembership('acme', 'bob', { email: 'bob@acme.test' })],
    });
    const identity = new RecordingSignOut();
    // The authorization read the org verifying acme.test: that decides, not the stored org.
    const known: KnownAccount = {
      org: { orgId: 'acme', verifiedDomains: ['acme.test'] },
      user: aUser('bob', { email: 'bob@acme.test' }),
    };
    await removeMember({ members, identity }, 'acme', 'bob', undefined, audit, undefined, { known });
    expect(members.accountReads).toBe(0);
    expect(identity.signedOut).toEqual(['bob']);
  });
});

describe('removeMember: a stale index read', () => {
  it('is refused by the version condition and repeated once on a strong read', async () => {
    /** The user's index partition a write behind: the membership one version old. */
    class LaggingIndex extends InMemoryMembers {
      reads: boolean[] = [];
      override async memberWithOthers(orgId: string, userId: string, fresh: boolean) {
        this.reads.push(fresh);
        const read = await super.memberWithOthers(orgId, userId);
        if (fresh || !read.member) return read;
        const membership = { ...read.member.membership, version: read.member.membership.version - 1 };
        return { ...read, member: { ...read.member, membership } };
      }
    }
    const members = new LaggingIndex({
      orgs: [anOrg('acme', { seatsUsed: 2, activeAdminCount: 1, memberCount: 2 })],
      users: [aUser('ada'), aUser('bob')],
      memberships: [ada, aMembership('acme', 'bob', { version: 5 })],
    });
    await removeMember({ members, identity: new RecordingSignOut() }, 'acme', 'bob', ada, audit);
    expect(members.reads).toEqual([false, true]);
    expect(await members.getMembership('acme', 'bob')).toBeUndefined();
    expect(members.auditEvents).toHaveLength(1);
  });
});
