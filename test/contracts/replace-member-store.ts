import { describe, expect, it } from 'vitest';
import {
  ConcurrentModificationError,
  ConflictError,
  ForbiddenError,
  LastAdminError,
  ValidationError,
} from '../../shared/errors.js';
import type { EmailMove, ReplaceCommit, ReplaceMemberStore } from '../../shared/members/replace-member-store.js';
import { withRole, type Membership } from '../../shared/members/membership.js';
import { anAudit } from '../fakes/fixtures.js';
import { acmeWorld, type MembersSubject } from './member-world.js';

const NOW = new Date('2026-12-01T10:00:00.000Z');

function replacement(
  current: Membership,
  changes: Partial<Membership>,
  fields: Partial<Omit<ReplaceCommit, 'current' | 'next'>> = {},
): ReplaceCommit {
  return {
    current,
    next: { ...current, ...changes, updatedAt: NOW.toISOString() },
    actor: undefined,
    email: { kind: 'none' },
    event: { orgId: current.orgId, action: 'test.updated', target: { type: 'member', id: current.userId } },
    audit: anAudit(NOW),
    ...fields,
  };
}

/**
 * The cases every ReplaceMemberStore answers alike: the table's and the identity provider's
 * (DynamoDB Local and a recording provider) and the in-memory fake the rule tests use
 * (test/unit/members/replace-member.test.ts).
 */
export function replaceMemberStoreContract(name: string, subject: () => MembersSubject<ReplaceMemberStore>): void {
  describe(`ReplaceMemberStore contract: ${name}`, () => {
    async function arranged() {
      const s = subject();
      const w = acmeWorld();
      await s.seed(w.world);
      return { s, ...w };
    }

    it('reads the membership and the org strongly, and who holds an email', async () => {
      const { s, orgId, bob, admin, domain, membership, world } = await arranged();
      expect(await s.store.getMembership(orgId, bob)).toEqual(membership(bob));
      expect(await s.store.getMembership(orgId, 'nobody')).toBeUndefined();
      expect(await s.store.getOrg(orgId)).toEqual(world.orgs[0]);
      expect(await s.store.getOrg('no-org')).toBeUndefined();
      expect(await s.store.emailHolder(`${admin}@${domain}`)).toBe(admin);
    });

    it('writes a new name and team a version on, with the audit event', async () => {
      const { s, orgId, bob, teamId, membership } = await arranged();
      await s.store.commitReplace(replacement(membership(bob), { name: 'Robert', teamId }));
      expect(await s.store.getMembership(orgId, bob)).toMatchObject({ name: 'Robert', teamId, version: 4 });
      expect(await s.auditActions(orgId)).toEqual(['test.updated']);
    });

    it('refuses a team that is not the org’s (400), a stale version (409) and a membership gone (404)', async () => {
      const { s, orgId, otherOrgId, bob, membership } = await arranged();
      await expect(
        s.store.commitReplace(replacement(membership(bob, otherOrgId), { teamId: `team-of-${orgId}` })),
      ).rejects.toBeInstanceOf(ValidationError);
      await expect(
        s.store.commitReplace(replacement({ ...membership(bob), version: 1 }, { name: 'Robert' })),
      ).rejects.toBeInstanceOf(ConcurrentModificationError);
      await expect(
        s.store.commitReplace(replacement({ ...membership(bob), userId: 'nobody' }, { name: 'Robert' })),
      ).rejects.toMatchObject({ status: 404 });
      expect(await s.auditActions(orgId)).toEqual([]);
    });

    it('moves the admin count and role holders with a role, and refuses demoting the last active admin', async () => {
      const { s, orgId, admin, bob, membership, world } = await arranged();
      const roles = world.orgs[0]!.customRoles;
      await expect(
        s.store.commitReplace(replacement(membership(admin), withRole(membership(admin), 'member', roles))),
      ).rejects.toBeInstanceOf(LastAdminError);
      await s.store.commitReplace(replacement(membership(bob), withRole(membership(bob), 'owner', roles)));
      expect(await s.org(orgId)).toMatchObject({ activeAdminCount: 2, roleHolders: { owner: 1 } });
    });

    it('refuses an actor who no longer holds the role acted with (insufficient_role)', async () => {
      const { s, bob, cid, membership } = await arranged();
      const refusal = s.store.commitReplace(
        replacement(membership(bob), { name: 'Robert' }, { actor: { ...membership(cid), role: 'org_admin' } }),
      );
      await expect(refusal).rejects.toBeInstanceOf(ForbiddenError);
      await expect(refusal).rejects.toMatchObject({ code: 'insufficient_role' });
    });

    it('moves an email at once: the claim, the user record, the other memberships and the provider’s address', async () => {
      const { s, orgId, otherOrgId, bob, domain, membership } = await arranged();
      const email = `robert-${bob}@${domain}`;
      const move: EmailMove = { kind: 'now', email };
      await s.store.commitReplace(replacement(membership(bob), { email, pendingEmail: null }, { email: move }));
      expect(await s.claimOf(email)).toBe(bob);
      expect(await s.claimOf(`${bob}@${domain}`)).toBeUndefined();
      expect((await s.user(bob))?.email).toBe(email);
      expect(await s.store.getMembership(otherOrgId, bob)).toMatchObject({ email, version: 2 });
      expect(await s.store.getMembership(orgId, bob)).toMatchObject({ email, version: 4 });
      expect(await s.identityEmail(bob)).toBe(email);
    });

    it('refuses an address another user holds (email_taken), moving nothing', async () => {
      const { s, orgId, bob, eve, domain, membership } = await arranged();
      const email = `${eve}@elsewhere.test`;
      const refusal = s.store.commitReplace(
        replacement(membership(bob), { email, pendingEmail: null }, { email: { kind: 'now', email } }),
      );
      await expect(refusal).rejects.toBeInstanceOf(ConflictError);
      await expect(refusal).rejects.toMatchObject({ code: 'email_taken' });
      expect(await s.claimOf(`${bob}@${domain}`)).toBe(bob);
      expect(await s.store.getMembership(orgId, bob)).toMatchObject({ version: 3 });
      expect(await s.identityEmail(bob)).toBeUndefined();
    });

    it('mails a confirmation link for an address to confirm, keeping the account’s email meanwhile', async () => {
      const { s, orgId, bob, domain, membership } = await arranged();
      const email = `bob-${bob}@elsewhere.test`;
      const move: EmailMove = { kind: 'confirm', email, orgName: 'Acme', appUrl: 'https://app.example.test' };
      await s.store.commitReplace(replacement(membership(bob), { pendingEmail: email }, { email: move }));
      expect(await s.confirmationMailed(orgId, bob)).toBe(true);
      expect(await s.store.getMembership(orgId, bob)).toMatchObject({ pendingEmail: email, email: `${bob}@${domain}` });
      expect(await s.claimOf(`${bob}@${domain}`)).toBe(bob);
      expect(await s.identityEmail(bob)).toBeUndefined();
    });
  });
}
