import { describe, expect, it } from 'vitest';
import { ConcurrentModificationError, ForbiddenError, LastAdminError, NotFoundError } from '../../shared/errors.js';
import type { BulkRoleCommit, BulkRoleStore } from '../../shared/members/bulk-role-store.js';
import { withRole, type Membership } from '../../shared/members/membership.js';
import type { CustomRoles } from '../../shared/roles.js';
import { anAudit } from '../fakes/fixtures.js';
import { acmeWorld, type MembersSubject } from './member-world.js';

const NOW = new Date('2026-12-01T10:00:00.000Z');

function bulk(
  orgId: string,
  members: Membership[],
  role: string,
  customRoles: CustomRoles,
  actor?: Membership,
): BulkRoleCommit {
  return {
    orgId,
    moves: members.map((current) => ({
      current,
      next: { ...withRole(current, role, customRoles), updatedAt: NOW.toISOString() },
    })),
    actor,
    event: { orgId, action: 'test.bulk', target: { type: 'org', id: orgId } },
    audit: anAudit(NOW),
  };
}

/**
 * The cases every BulkRoleStore answers alike: the table's (DynamoDB Local) and the in-memory
 * fake the rule tests use (test/unit/members/bulk-change-role.test.ts).
 */
export function bulkRoleStoreContract(name: string, subject: () => MembersSubject<BulkRoleStore>): void {
  describe(`BulkRoleStore contract: ${name}`, () => {
    async function arranged() {
      const s = subject();
      const w = acmeWorld();
      await s.seed(w.world);
      const roles = w.world.orgs[0]!.customRoles;
      return { s, roles, ...w };
    }

    it("reads the org's memberships of the users named, strongly, leaving out who has none", async () => {
      const { s, orgId, bob, cid, eve, membership } = await arranged();
      const read = await s.store.membershipsOf(orgId, [bob, eve, cid]);
      expect(read.sort((a, b) => a.userId.localeCompare(b.userId))).toEqual([membership(bob), membership(cid)]);
    });

    it('moves every membership a version on, the admin count and custom-role holders by the batch, with one audit event', async () => {
      const { s, orgId, admin, bob, cid, roles, membership } = await arranged();
      await s.store.commitBulkRole(bulk(orgId, [membership(bob), membership(cid)], 'owner', roles, membership(admin)));
      expect(await s.store.membershipsOf(orgId, [bob])).toMatchObject([
        { role: 'owner', managesOrg: true, version: 4 },
      ]);
      expect(await s.store.membershipsOf(orgId, [cid])).toMatchObject([{ role: 'owner', version: 2 }]);
      // cid is suspended: a holder of the role, not an active admin.
      expect(await s.org(orgId)).toMatchObject({ activeAdminCount: 2, roleHolders: { owner: 2 }, seatsUsed: 2 });
      expect(await s.auditActions(orgId)).toEqual(['test.bulk']);
    });

    it('refuses a batch demoting the last active admin (last_admin), writing none of it', async () => {
      const { s, orgId, admin, bob, roles, membership } = await arranged();
      const refusal = s.store.commitBulkRole(bulk(orgId, [membership(bob), membership(admin)], 'member', roles));
      await expect(refusal).rejects.toBeInstanceOf(LastAdminError);
      expect(await s.store.membershipsOf(orgId, [admin, bob])).toHaveLength(2);
      expect(await s.store.membershipsOf(orgId, [admin])).toMatchObject([{ role: 'org_admin', version: 1 }]);
      expect(await s.auditActions(orgId)).toEqual([]);
    });

    it('refuses the whole batch when one membership changed since it was read (409) or is gone (404)', async () => {
      const { s, orgId, bob, cid, roles, membership } = await arranged();
      const stale = s.store.commitBulkRole(
        bulk(orgId, [membership(cid), { ...membership(bob), version: 1 }], 'editor', roles),
      );
      await expect(stale).rejects.toBeInstanceOf(ConcurrentModificationError);
      const gone = s.store.commitBulkRole(
        bulk(orgId, [membership(cid), { ...membership(bob), userId: 'nobody' }], 'editor', roles),
      );
      await expect(gone).rejects.toBeInstanceOf(NotFoundError);
      expect(await s.store.membershipsOf(orgId, [cid])).toMatchObject([{ role: 'member', version: 1 }]);
      expect((await s.org(orgId))?.roleHolders).toEqual({});
    });

    it('refuses an actor who no longer holds the role acted with (insufficient_role)', async () => {
      const { s, orgId, bob, cid, roles, membership, otherOrgId } = await arranged();
      const actor = { ...membership(bob, otherOrgId), orgId, role: 'org_admin' };
      const refusal = s.store.commitBulkRole(bulk(orgId, [membership(cid)], 'editor', roles, actor));
      await expect(refusal).rejects.toBeInstanceOf(ForbiddenError);
      await expect(refusal).rejects.toMatchObject({ code: 'insufficient_role' });
    });
  });
}
