import { describe, expect, it } from 'vitest';
import { ForbiddenError, LastAdminError, NotFoundError } from '../../../shared/errors.js';
import { bulkChangeRole } from '../../../shared/members/bulk-change-role.js';
import type { Membership } from '../../../shared/members/membership.js';
import { aMembership, anAudit, anOrg, aUser } from '../../fakes/fixtures.js';
import { InMemoryMembers } from '../../fakes/in-memory-members.js';

/**
 * The rules of giving many members one role (all or nothing, the last admin for the batch,
 * missing members, who may change whose role), decided by the use case over the in-memory
 * store. The same store answers as the table does: its contract runs against both in
 * test/integration/member-store-contracts.integ.test.ts; the HTTP route stays covered by
 * test/integration/bulk-role.integ.test.ts.
 */
const NOW = new Date('2026-12-01T10:00:00.000Z');
const audit = anAudit(NOW);

const ada = aMembership('acme', 'ada', { role: 'org_admin' });
const eve = aMembership('acme', 'eve', { role: 'org_admin' });
/** A member manager: changes members' roles, holds no org:manage. */
const mia = aMembership('acme', 'mia', { role: 'manager' });

/** Acme: two admins (ada, eve), a member manager (mia), two members (bob, cid: suspended). */
function acme() {
  const members = new InMemoryMembers({
    orgs: [
      anOrg('acme', {
        maxSeats: 10,
        seatsUsed: 4,
        activeAdminCount: 2,
        memberCount: 5,
        customRoles: {
          manager: { name: 'Manager', permissions: ['members:read', 'members:manage'] },
          owner: { name: 'Owner', permissions: ['org:manage'] },
        },
        roleHolders: { manager: 1 },
      }),
    ],
    users: ['ada', 'eve', 'mia', 'bob', 'cid'].map((id) => aUser(id)),
    memberships: [ada, eve, mia, aMembership('acme', 'bob'), aMembership('acme', 'cid', { status: 'suspended' })],
  });
  return { members, org: members.org('acme')!, deps: { members } };
}

const roleOf = async (members: InMemoryMembers, userId: string) => (await members.getMembership('acme', userId))?.role;

describe('bulkChangeRole: all or nothing', () => {
  it('changes every member named, once each, reporting who already held the role; one audit event lists the changes', async () => {
    const { members, org, deps } = acme();
    const result = await bulkChangeRole(deps, org, ['bob', 'cid', 'bob', 'mia'], 'manager', ada, audit);
    expect(result.changed.sort()).toEqual(['bob', 'cid']);
    expect(result.unchanged).toEqual(['mia']);
    expect(await members.getMembership('acme', 'bob')).toMatchObject({ role: 'manager', version: 2 });
    expect(members.org('acme')).toMatchObject({ roleHolders: { manager: 3 } });
    expect(members.auditEvents).toEqual([
      expect.objectContaining({
        action: 'member.role_changed.bulk',
        target: { type: 'org', id: 'acme' },
        before: {
          members: expect.arrayContaining([
            { userId: 'bob', role: 'member' },
            { userId: 'cid', role: 'member' },
          ]),
        },
        after: { role: 'manager', userIds: expect.arrayContaining(['bob', 'cid']) },
      }),
    ]);
  });

  it('writes nothing when everyone already holds the role', async () => {
    const { members, org, deps } = acme();
    expect(await bulkChangeRole(deps, org, ['bob', 'cid'], 'member', ada, audit)).toEqual({
      changed: [],
      unchanged: ['bob', 'cid'],
    });
    expect(members.auditEvents).toEqual([]);
  });

  it('names the members it does not find (404 members_not_found), changing none of the others', async () => {
    const { members, org, deps } = acme();
    const refusal = bulkChangeRole(deps, org, ['bob', 'ghost', 'phantom'], 'manager', ada, audit);
    await expect(refusal).rejects.toBeInstanceOf(NotFoundError);
    await expect(refusal).rejects.toMatchObject({
      code: 'members_not_found',
      message: 'No such members: ghost, phantom',
    });
    expect(await roleOf(members, 'bob')).toBe('member');
  });

  it('a member changed by someone else meanwhile fails the whole batch', async () => {
    /** Another request changes cid between the read and the write. */
    class RacedRead extends InMemoryMembers {
      override async membershipsOf(orgId: string, userIds: readonly string[]): Promise<Membership[]> {
        const read = await super.membershipsOf(orgId, userIds);
        this.seed({ memberships: [aMembership('acme', 'cid', { status: 'suspended', version: 2 })] });
        return read;
      }
    }
    const { org } = acme();
    const members = new RacedRead({
      orgs: [org],
      users: [aUser('ada'), aUser('bob'), aUser('cid')],
      memberships: [ada, aMembership('acme', 'bob'), aMembership('acme', 'cid', { status: 'suspended' })],
    });
    await expect(bulkChangeRole({ members }, org, ['bob', 'cid'], 'manager', ada, audit)).rejects.toMatchObject({
      code: 'concurrent_modification',
    });
    expect(await roleOf(members, 'bob')).toBe('member');
    expect(members.auditEvents).toEqual([]);
  });
});

describe('bulkChangeRole: the last admin, for the batch as a whole', () => {
  it('may demote one of two admins, not both at once (last_admin)', async () => {
    const { members, org, deps } = acme();
    await expect(bulkChangeRole(deps, org, ['ada', 'eve'], 'member', ada, audit)).rejects.toBeInstanceOf(
      LastAdminError,
    );
    expect(members.org('acme')).toMatchObject({ activeAdminCount: 2 });
    await bulkChangeRole(deps, org, ['eve', 'bob'], 'member', ada, audit);
    expect(members.org('acme')).toMatchObject({ activeAdminCount: 1 });
  });

  it('a custom role holding org:manage keeps an admin: both built-in admins may move to it', async () => {
    const { members, org, deps } = acme();
    await bulkChangeRole(deps, org, ['ada', 'eve'], 'owner', ada, audit);
    expect(members.org('acme')).toMatchObject({ activeAdminCount: 2, roleHolders: { manager: 1, owner: 2 } });
  });
});

describe('bulkChangeRole: who may change whose role', () => {
  it('a member manager may not give a role holding permissions they lack (role_escalation)', async () => {
    const { org, deps } = acme();
    const refusal = bulkChangeRole(deps, org, ['bob'], 'org_admin', mia, audit);
    await expect(refusal).rejects.toMatchObject({ code: 'role_escalation' });
  });

  it('nor demote an admin (their role holds more than the manager’s), refusing the whole batch', async () => {
    const { members, org, deps } = acme();
    const refusal = bulkChangeRole(deps, org, ['bob', 'eve'], 'manager', mia, audit);
    await expect(refusal).rejects.toBeInstanceOf(ForbiddenError);
    await expect(refusal).rejects.toMatchObject({ code: 'role_escalation' });
    expect(await roleOf(members, 'bob')).toBe('member');
  });

  it('nor change their own role (own_role_change); an admin may change their own', async () => {
    const { members, org, deps } = acme();
    await expect(bulkChangeRole(deps, org, ['mia'], 'member', mia, audit)).rejects.toMatchObject({
      code: 'own_role_change',
    });
    await bulkChangeRole(deps, org, ['ada'], 'member', ada, audit);
    expect(await roleOf(members, 'ada')).toBe('member');
  });

  it('an actor who lost the admin role meanwhile is refused (insufficient_role)', async () => {
    const { members, org, deps } = acme();
    const demoted: Membership = { ...aMembership('acme', 'bob'), role: 'org_admin' };
    await expect(bulkChangeRole(deps, org, ['cid'], 'manager', demoted, audit)).rejects.toMatchObject({
      code: 'insufficient_role',
    });
    expect(await roleOf(members, 'cid')).toBe('member');
  });
});
