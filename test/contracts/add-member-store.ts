import { describe, expect, it } from 'vitest';
import {
  ConcurrentModificationError,
  ConflictError,
  NotFoundError,
  SeatLimitReachedError,
  ValidationError,
} from '../../shared/errors.js';
import type { AddCommit, AddMemberStore } from '../../shared/members/add-member-store.js';
import { newMembership, type Membership } from '../../shared/members/membership.js';
import { anAudit } from '../fakes/fixtures.js';
import { acmeWorld, type MembersSubject } from './member-world.js';

const NOW = new Date('2026-12-01T10:00:00.000Z');

function addCommit(
  fields: Partial<Membership> & Pick<Membership, 'orgId' | 'userId' | 'email'>,
  newPerson: boolean,
): AddCommit {
  const membership = {
    ...newMembership({ name: 'Added', role: 'member', teamId: null, source: 'manual', ...fields }, NOW),
    ...fields,
  };
  return {
    membership,
    newPerson,
    event: { orgId: membership.orgId, action: 'test.added', target: { type: 'member', id: membership.userId } },
    audit: anAudit(NOW),
  };
}

/**
 * The cases every AddMemberStore answers alike: the table's (DynamoDB Local) and the in-memory
 * fake the rule tests use (test/unit/members/add-member.test.ts).
 */
export function addMemberStoreContract(name: string, subject: () => MembersSubject<AddMemberStore>): void {
  describe(`AddMemberStore contract: ${name}`, () => {
    async function arranged() {
      const s = subject();
      const w = acmeWorld();
      await s.seed(w.world);
      return { s, ...w };
    }

    it("names the holder of an email's claim whatever its case, and nobody for a free one", async () => {
      const { s, eve, id } = await arranged();
      expect(await s.store.emailHolder(`${eve.toUpperCase()}@Elsewhere.test`)).toBe(eve);
      expect(await s.store.emailHolder(`free-${id}@elsewhere.test`)).toBeUndefined();
    });

    it('adds a new person: the membership, their user record (identity pending) and claim, a seat, the audit event', async () => {
      const { s, orgId, id } = await arranged();
      const email = `new-${id}@elsewhere.test`;
      const userId = `new-${id}`;
      await s.store.commitAdd(addCommit({ orgId, userId, email, name: 'New Person' }, true));
      expect(await s.store.emailHolder(email)).toBe(userId);
      expect(await s.user(userId)).toMatchObject({
        email,
        name: 'New Person',
        createdByOrgId: orgId,
        identityState: 'pending',
        platformOperator: false,
        sessionsRevokedAt: null,
      });
      expect(await s.org(orgId)).toMatchObject({ seatsUsed: 3, memberCount: 4, activeAdminCount: 1 });
      expect(await s.auditActions(orgId)).toEqual(['test.added']);
    });

    it('attaches an existing person, whose record and claim stay as they were', async () => {
      const { s, orgId, eve, world } = await arranged();
      await s.store.commitAdd(
        addCommit({ orgId, userId: eve, email: `${eve}@elsewhere.test`, role: 'org_admin' }, false),
      );
      expect(await s.user(eve)).toEqual(world.users.find((u) => u.userId === eve));
      expect(await s.org(orgId)).toMatchObject({ seatsUsed: 3, memberCount: 4, activeAdminCount: 2 });
    });

    it('refuses a person already a member (already_member), writing nothing', async () => {
      const { s, orgId, cid } = await arranged();
      const refusal = s.store.commitAdd(addCommit({ orgId, userId: cid, email: `${cid}@x.test` }, false));
      await expect(refusal).rejects.toBeInstanceOf(ConflictError);
      await expect(refusal).rejects.toMatchObject({ code: 'already_member' });
      expect(await s.org(orgId)).toMatchObject({ seatsUsed: 2, memberCount: 3 });
      expect(await s.auditActions(orgId)).toEqual([]);
    });

    it('refuses a new person whose email another request claimed meanwhile (concurrent_modification), writing nothing', async () => {
      const { s, orgId, eve, id } = await arranged();
      const refusal = s.store.commitAdd(
        addCommit({ orgId, userId: `late-${id}`, email: `${eve}@elsewhere.test` }, true),
      );
      await expect(refusal).rejects.toBeInstanceOf(ConcurrentModificationError);
      expect(await s.user(`late-${id}`)).toBeUndefined();
      expect(await s.store.emailHolder(`${eve}@elsewhere.test`)).toBe(eve);
      expect(await s.org(orgId)).toMatchObject({ seatsUsed: 2 });
    });

    it('refuses a seat beyond maxSeats (seat_limit_reached), and an org that is not there (404)', async () => {
      const { s, orgId, eve, world, id } = await arranged();
      await s.seed({ orgs: [{ ...world.orgs[0]!, seatsUsed: 3 }] });
      const refusal = s.store.commitAdd(addCommit({ orgId, userId: eve, email: `${eve}@elsewhere.test` }, false));
      await expect(refusal).rejects.toBeInstanceOf(SeatLimitReachedError);
      await expect(refusal).rejects.toMatchObject({ message: 'Seat limit reached (3)' });
      expect(await s.auditActions(orgId)).toEqual([]);
      const nowhere = s.store.commitAdd(
        addCommit({ orgId: `none-${id}`, userId: eve, email: `${eve}@elsewhere.test` }, false),
      );
      await expect(nowhere).rejects.toBeInstanceOf(NotFoundError);
    });

    it('adds into a team of the org, and refuses one that is not (400 naming teamId)', async () => {
      const { s, orgId, teamId, eve, otherOrgId } = await arranged();
      const elsewhere = s.store.commitAdd(
        addCommit({ orgId: otherOrgId, userId: eve, email: `${eve}@elsewhere.test`, teamId }, false),
      );
      await expect(elsewhere).rejects.toBeInstanceOf(ValidationError);
      expect(await s.org(otherOrgId)).toMatchObject({ seatsUsed: 1, memberCount: 1 });
      await s.store.commitAdd(addCommit({ orgId, userId: eve, email: `${eve}@elsewhere.test`, teamId }, false));
      expect(await s.auditActions(orgId)).toEqual(['test.added']);
    });

    it('counts a custom role’s holders, and refuses one whose org:manage changed since it was read (role_changed)', async () => {
      const { s, orgId, eve, id, world } = await arranged();
      await s.seed({ orgs: [{ ...world.orgs[0]!, maxSeats: 10 }] });
      // `editor` lacks org:manage; a membership assuming it holds it was built on a stale read.
      const stale = s.store.commitAdd(
        addCommit({ orgId, userId: eve, email: `${eve}@elsewhere.test`, role: 'editor', managesOrg: true }, false),
      );
      await expect(stale).rejects.toMatchObject({ code: 'role_changed' });
      const deleted = s.store.commitAdd(
        addCommit({ orgId, userId: eve, email: `${eve}@elsewhere.test`, role: 'gone' }, false),
      );
      await expect(deleted).rejects.toMatchObject({ code: 'role_changed' });
      await s.store.commitAdd(addCommit({ orgId, userId: eve, email: `${eve}@elsewhere.test`, role: 'editor' }, false));
      await s.store.commitAdd(
        addCommit({ orgId, userId: `o-${id}`, email: `o-${id}@elsewhere.test`, role: 'owner', managesOrg: true }, true),
      );
      expect(await s.org(orgId)).toMatchObject({
        roleHolders: { editor: 1, owner: 1 },
        activeAdminCount: 2,
        seatsUsed: 4,
      });
    });
  });
}
