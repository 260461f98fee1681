import { describe, expect, it } from 'vitest';
import { ConcurrentModificationError, ForbiddenError, LastAdminError } from '../../shared/errors.js';
import type { MemberRemovalStore, RemovalCommit } from '../../shared/members/member-removal-store.js';
import type { Membership } from '../../shared/members/membership.js';
import { EMPTY_PROFILE } from '../../shared/scim/user-state.js';
import { anAudit } from '../fakes/fixtures.js';
import { acmeWorld, type MembersSubject } from './member-world.js';

const NOW = new Date('2026-12-01T10:00:00.000Z');

function removal(current: Membership, fields: Partial<Omit<RemovalCommit, 'current'>> = {}): RemovalCommit {
  return {
    current,
    scim: { profile: undefined, profileVersion: 0 },
    actor: undefined,
    endAccountSessions: false,
    event: { orgId: current.orgId, action: 'test.removed', target: { type: 'member', id: current.userId } },
    audit: anAudit(NOW),
    ...fields,
  };
}

/**
 * The cases every MemberRemovalStore answers alike: the table's (DynamoDB Local) and the
 * in-memory fake the rule tests use (test/unit/members/remove-member.test.ts).
 */
export function memberRemovalStoreContract(name: string, subject: () => MembersSubject<MemberRemovalStore>): void {
  describe(`MemberRemovalStore contract: ${name}`, () => {
    async function arranged() {
      const s = subject();
      const w = acmeWorld();
      await s.seed(w.world);
      return { s, ...w };
    }

    it('reads a member with their SCIM profile and their memberships elsewhere, strongly or not', async () => {
      const { s, orgId, otherOrgId, bob, cid, externalId, membership } = await arranged();
      for (const fresh of [true, false]) {
        const read = await s.store.memberWithOthers(orgId, bob, fresh);
        expect(read.member).toEqual({
          membership: membership(bob),
          profile: { ...EMPTY_PROFILE, externalId, userName: bob },
          profileVersion: 2,
        });
        expect(read.others).toEqual([membership(bob, otherOrgId)]);
      }
      const plain = await s.store.memberWithOthers(orgId, cid, true);
      expect(plain.member).toEqual({ membership: membership(cid), profile: undefined, profileVersion: 0 });
      expect(plain.others).toEqual([]);
      expect((await s.store.memberWithOthers(orgId, 'nobody', true)).member).toBeUndefined();
    });

    it('removes a member: the seat and the count, their SCIM profile and externalId claim go, the audit event is written', async () => {
      const { s, orgId, bob, externalId, membership } = await arranged();
      const read = await s.store.memberWithOthers(orgId, bob, true);
      await s.store.commitRemoval(removal(membership(bob), { scim: read.member! }));
      expect((await s.store.memberWithOthers(orgId, bob, true)).member).toBeUndefined();
      expect(await s.org(orgId)).toMatchObject({ seatsUsed: 1, memberCount: 2, activeAdminCount: 1 });
      expect(await s.scimProfileVersion(orgId, bob)).toBeUndefined();
      expect(await s.externalIdHolder(orgId, externalId)).toBeUndefined();
      expect(await s.auditActions(orgId)).toEqual(['test.removed']);
      expect((await s.user(bob))?.sessionsRevokedAt).toBeNull();
    });

    it("ends the account's sessions at the removal's instant when asked; a suspended member frees no seat", async () => {
      const { s, orgId, cid, membership } = await arranged();
      await s.store.commitRemoval(removal(membership(cid), { endAccountSessions: true }));
      expect((await s.user(cid))?.sessionsRevokedAt).toBe(NOW.toISOString());
      expect(await s.org(orgId)).toMatchObject({ seatsUsed: 2, memberCount: 2 });
    });

    it('refuses removing the last active admin (last_admin), writing nothing', async () => {
      const { s, orgId, admin, membership } = await arranged();
      await expect(s.store.commitRemoval(removal(membership(admin)))).rejects.toBeInstanceOf(LastAdminError);
      expect(await s.org(orgId)).toMatchObject({ seatsUsed: 2, memberCount: 3, activeAdminCount: 1 });
      expect(await s.auditActions(orgId)).toEqual([]);
    });

    it('refuses a removal built on a stale version, or of a membership gone (both concurrent_modification)', async () => {
      const { s, orgId, cid, membership } = await arranged();
      const stale = s.store.commitRemoval(removal({ ...membership(cid), version: 9 }));
      await expect(stale).rejects.toBeInstanceOf(ConcurrentModificationError);
      const gone = s.store.commitRemoval(removal({ ...membership(cid), userId: 'nobody' }));
      await expect(gone).rejects.toBeInstanceOf(ConcurrentModificationError);
      expect(await s.org(orgId)).toMatchObject({ memberCount: 3 });
    });

    it('refuses a removal whose read missed the SCIM profile, or saw an older one (concurrent_modification)', async () => {
      const { s, orgId, bob, membership } = await arranged();
      const missed = s.store.commitRemoval(removal(membership(bob)));
      await expect(missed).rejects.toBeInstanceOf(ConcurrentModificationError);
      const read = (await s.store.memberWithOthers(orgId, bob, true)).member!;
      const older = s.store.commitRemoval(removal(membership(bob), { scim: { ...read, profileVersion: 1 } }));
      await expect(older).rejects.toBeInstanceOf(ConcurrentModificationError);
      expect(await s.scimProfileVersion(orgId, bob)).toBe(2);
      expect(await s.org(orgId)).toMatchObject({ seatsUsed: 2 });
    });

    it('refuses an actor who no longer holds the role acted with (insufficient_role); the admin may act', async () => {
      const { s, orgId, bob, cid, admin, membership } = await arranged();
      // bob acted as an admin; the table says he is a plain member of this org.
      const refusal = s.store.commitRemoval(
        removal(membership(cid), { actor: { ...membership(bob), role: 'org_admin' } }),
      );
      await expect(refusal).rejects.toBeInstanceOf(ForbiddenError);
      await expect(refusal).rejects.toMatchObject({ code: 'insufficient_role' });
      await s.store.commitRemoval(removal(membership(cid), { actor: membership(admin) }));
      expect(await s.org(orgId)).toMatchObject({ memberCount: 2 });
    });
  });
}
