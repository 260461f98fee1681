import { describe, expect, it } from 'vitest';
import { ForbiddenError, LastAdminError, NotFoundError, ValidationError } from '../../../shared/errors.js';
import { replaceMember } from '../../../shared/members/replace-member.js';
import { DEFAULT_ORG_SETTINGS } from '../../../shared/orgs/org.js';
import { aMembership, anAudit, anOrg, aUser } from '../../fakes/fixtures.js';
import { InMemoryMembers } from '../../fakes/in-memory-members.js';

/**
 * The rules of replacing a member's name, email, role and team (the last admin, who may change
 * whose role, the team, and who may change the account's email, how), decided by the use case
 * over the in-memory store. The same store answers as the table does: its contract runs against
 * both in test/integration/member-store-contracts.integ.test.ts; the HTTP route and the email
 * links stay covered by test/integration/members.integ.test.ts and account-ownership.integ.test.ts.
 */
const NOW = new Date('2026-12-01T10:00:00.000Z');
const audit = anAudit(NOW);
const APP = 'https://app.example.test';

const ada = aMembership('acme', 'ada', { role: 'org_admin', email: 'ada@acme.test' });
const mia = aMembership('acme', 'mia', { role: 'manager', email: 'mia@acme.test' });
const bob = aMembership('acme', 'bob', { email: 'bob@acme.test', version: 4 });

/** Counts the store's reads of the org. */
class CountingOrgReads extends InMemoryMembers {
  orgReads = 0;
  override getOrg(orgId: string) {
    this.orgReads++;
    return super.getOrg(orgId);
  }
}

/** Acme verifies acme.test and created bob's account: it manages bob's account, not eve's (gmail). */
function acme() {
  const members = new CountingOrgReads({
    orgs: [
      anOrg('acme', {
        seatsUsed: 4,
        activeAdminCount: 1,
        memberCount: 4,
        settings: { ...DEFAULT_ORG_SETTINGS, verifiedDomains: ['acme.test'] },
        customRoles: {
          manager: { name: 'Manager', permissions: ['members:read', 'members:manage'] },
          owner: { name: 'Owner', permissions: ['org:manage'] },
        },
        roleHolders: { manager: 1 },
      }),
      anOrg('globex', { seatsUsed: 1, memberCount: 1 }),
    ],
    users: [
      aUser('ada', { email: 'ada@acme.test' }),
      aUser('mia', { email: 'mia@acme.test' }),
      aUser('bob', { email: 'bob@acme.test', createdByOrgId: 'acme' }),
      aUser('eve', { email: 'eve@gmail.test' }),
    ],
    memberships: [
      ada,
      mia,
      bob,
      aMembership('acme', 'eve', { email: 'eve@gmail.test' }),
      aMembership('globex', 'bob', { email: 'bob@acme.test' }),
    ],
    teams: [{ orgId: 'acme', teamId: 'sales' }],
  });
  return { members, org: members.org('acme')!, deps: { members, appUrl: APP } };
}

const asIs = { name: 'bob', email: 'bob@acme.test', role: 'member', teamId: null };

describe('replaceMember: name and team', () => {
  it('writes the new name and team a version on, the audit event naming only what changed', async () => {
    const { members, deps } = acme();
    const result = await replaceMember(deps, 'acme', 'bob', { ...asIs, name: 'Robert', teamId: 'sales' }, ada, audit);
    expect(result).toMatchObject({ name: 'Robert', teamId: 'sales', version: 5, updatedAt: NOW.toISOString() });
    expect(members.auditEvents).toEqual([
      expect.objectContaining({
        action: 'member.updated',
        target: { type: 'member', id: 'bob' },
        before: { name: 'bob', teamId: null },
        after: { name: 'Robert', teamId: 'sales' },
      }),
    ]);
    // Neither a role nor an email changed: the org is not read.
    expect(members.orgReads).toBe(0);
  });

  it('changes nothing, and writes nothing, when the body is the member as is', async () => {
    const { members, deps } = acme();
    expect(await replaceMember(deps, 'acme', 'bob', asIs, ada, audit)).toEqual(bob);
    expect(members.auditEvents).toEqual([]);
  });

  it('refuses a team that is not the org’s (400), and a stranger (404)', async () => {
    const { deps } = acme();
    await expect(replaceMember(deps, 'acme', 'bob', { ...asIs, teamId: 'nope' }, ada, audit)).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(replaceMember(deps, 'acme', 'nobody', asIs, ada, audit)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('replaceMember: roles', () => {
  it('the last active admin keeps the role (last_admin)', async () => {
    const { members, org, deps } = acme();
    const self = { name: 'ada', email: 'ada@acme.test', role: 'member', teamId: null };
    await expect(replaceMember(deps, 'acme', 'ada', self, ada, audit, org)).rejects.toBeInstanceOf(LastAdminError);
    expect(members.org('acme')).toMatchObject({ activeAdminCount: 1 });
  });

  it('a custom role holding org:manage makes an admin; the org’s roles are read when the caller did not give them', async () => {
    const { members, deps } = acme();
    await replaceMember(deps, 'acme', 'bob', { ...asIs, role: 'owner' }, ada, audit);
    expect(members.orgReads).toBe(1);
    expect(await members.getMembership('acme', 'bob')).toMatchObject({ role: 'owner', managesOrg: true });
    expect(members.org('acme')).toMatchObject({ activeAdminCount: 2, roleHolders: { manager: 1, owner: 1 } });
  });

  it('a member manager may not give a role above their own, nor change an admin’s, nor their own', async () => {
    const { org, deps } = acme();
    await expect(
      replaceMember(deps, 'acme', 'bob', { ...asIs, role: 'org_admin' }, mia, audit, org),
    ).rejects.toMatchObject({ code: 'role_escalation' });
    const adaAsIs = { name: 'ada', email: 'ada@acme.test', teamId: null };
    await expect(
      replaceMember(deps, 'acme', 'ada', { ...adaAsIs, role: 'manager' }, mia, audit, org),
    ).rejects.toMatchObject({ code: 'role_escalation' });
    const miaAsIs = { name: 'mia', email: 'mia@acme.test', teamId: null };
    await expect(
      replaceMember(deps, 'acme', 'mia', { ...miaAsIs, role: 'member' }, mia, audit, org),
    ).rejects.toMatchObject({ code: 'own_role_change' });
  });

  it('but may rename an admin (an unchanged role is no grant)', async () => {
    const { deps, org } = acme();
    const result = await replaceMember(
      deps,
      'acme',
      'ada',
      { name: 'Ada L.', email: 'ada@acme.test', role: 'org_admin', teamId: null },
      mia,
      audit,
      org,
    );
    expect(result).toMatchObject({ name: 'Ada L.', role: 'org_admin' });
  });

  it('an actor who lost the admin role meanwhile is refused (insufficient_role)', async () => {
    const { deps, org } = acme();
    const demoted = { ...aMembership('acme', 'eve'), role: 'org_admin' };
    await expect(
      replaceMember(deps, 'acme', 'bob', { ...asIs, name: 'Robert' }, demoted, audit, org),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('replaceMember: the account’s email (account ownership)', () => {
  it('inside the verified domains a managed account’s address moves at once: claim, user, every membership, provider', async () => {
    const { members, deps } = acme();
    const result = await replaceMember(deps, 'acme', 'bob', { ...asIs, email: 'robert@acme.test' }, ada, audit);
    expect(result).toMatchObject({ email: 'robert@acme.test', pendingEmail: null });
    expect(members.claimOf('robert@acme.test')).toBe('bob');
    expect(members.claimOf('bob@acme.test')).toBeUndefined();
    expect(members.user('bob')?.email).toBe('robert@acme.test');
    expect(await members.getMembership('globex', 'bob')).toMatchObject({ email: 'robert@acme.test' });
    expect(members.identityEmails.get('bob')).toBe('robert@acme.test');
  });

  it('outside them the member shows it pending and a confirmation link is mailed; the account keeps its address', async () => {
    const { members, deps } = acme();
    const result = await replaceMember(deps, 'acme', 'bob', { ...asIs, email: 'bob@home.test' }, ada, audit);
    expect(result).toMatchObject({ email: 'bob@acme.test', pendingEmail: 'bob@home.test' });
    expect(members.emailConfirmations).toEqual([{ orgId: 'acme', userId: 'bob', email: 'bob@home.test' }]);
    expect(members.claimOf('bob@acme.test')).toBe('bob');
    expect(members.identityEmails.size).toBe(0);
  });

  it('outside them, with no link to mail, the change is refused as unmanaged', async () => {
    const { members } = acme();
    await expect(
      replaceMember({ members }, 'acme', 'bob', { ...asIs, email: 'bob@home.test' }, ada, audit),
    ).rejects.toMatchObject({ code: 'account_not_managed' });
  });

  it('an account the org does not manage keeps its email (account_not_managed), whatever the domain', async () => {
    const { members, deps } = acme();
    const eveAsIs = { name: 'eve', role: 'member', teamId: null };
    for (const email of ['eve@acme.test', 'eve@home.test'])
      await expect(replaceMember(deps, 'acme', 'eve', { ...eveAsIs, email }, ada, audit)).rejects.toMatchObject({
        code: 'account_not_managed',
      });
    expect(members.auditEvents).toEqual([]);
  });

  it('an address another user holds is refused (email_taken), inside the domains or out, before anything moves', async () => {
    const { members, deps } = acme();
    for (const email of ['mia@acme.test', 'eve@gmail.test'])
      await expect(replaceMember(deps, 'acme', 'bob', { ...asIs, email }, ada, audit)).rejects.toMatchObject({
        code: 'email_taken',
      });
    expect(members.emailConfirmations).toEqual([]);
    expect(members.identityEmails.size).toBe(0);
    expect(members.auditEvents).toEqual([]);
  });
});
