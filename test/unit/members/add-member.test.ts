import { describe, expect, it } from 'vitest';
import {
  ConcurrentModificationError,
  ConflictError,
  ForbiddenError,
  SeatLimitReachedError,
  ValidationError,
} from '../../../shared/errors.js';
import { addMember } from '../../../shared/members/add-member.js';
import { DEFAULT_ORG_SETTINGS, type Org } from '../../../shared/orgs/org.js';
import { aMembership, anAudit, anOrg, aUser } from '../../fakes/fixtures.js';
import { InMemoryMembers, type MembersWorld } from '../../fakes/in-memory-members.js';

/**
 * The rules of adding a person without mail (seats, the team, assignable roles, the email claim
 * and its one retry), decided by the use case over the in-memory store. The same store answers
 * as the table does: its contract runs against both in
 * test/integration/member-store-contracts.integ.test.ts; the HTTP route stays covered by
 * test/integration/members.integ.test.ts.
 */
const NOW = new Date('2026-12-01T10:00:00.000Z');
const audit = anAudit(NOW);

const ada = aMembership('acme', 'ada', { role: 'org_admin' });
/** A member manager: adds members, holds no org:manage. */
const mia = aMembership('acme', 'mia', { role: 'manager' });

/** Acme: 3 seats, ada its admin and mia a member manager (2 taken), a team, custom roles. */
function acmeWorld(org: Partial<Org> = {}): MembersWorld {
  const acmeOrg = anOrg('acme', {
    maxSeats: 3,
    seatsUsed: 2,
    activeAdminCount: 1,
    memberCount: 2,
    settings: { ...DEFAULT_ORG_SETTINGS, verifiedDomains: [] },
    customRoles: {
      manager: { name: 'Manager', permissions: ['members:read', 'members:manage'] },
      owner: { name: 'Owner', permissions: ['org:manage'] },
    },
    roleHolders: { manager: 1 },
    ...org,
  });
  return {
    orgs: [acmeOrg],
    users: [aUser('ada'), aUser('mia'), aUser('eve', { email: 'eve@elsewhere.test' })],
    memberships: [ada, mia],
    teams: [{ orgId: 'acme', teamId: 'sales' }],
  };
}

function acme(org: Partial<Org> = {}) {
  const members = new InMemoryMembers(acmeWorld(org));
  return { members, org: members.org('acme')! };
}

const person = (fields: Partial<{ name: string; email: string; role: string; teamId: string }> = {}) => ({
  name: 'New Person',
  email: 'new@example.test',
  role: 'member',
  ...fields,
});

describe('addMember: the person', () => {
  it('makes a new Roster user for an unclaimed email, with its claim, a seat and member.added', async () => {
    const { members, org } = acme();
    const added = await addMember({ members }, org, person({ email: ' New@Example.TEST ' }), ada, audit);
    expect(added).toMatchObject({ orgId: 'acme', email: 'new@example.test', status: 'active', version: 1 });
    expect(members.claimOf('new@example.test')).toBe(added.userId);
    expect(members.user(added.userId)).toMatchObject({ createdByOrgId: 'acme', identityState: 'pending' });
    expect(members.org('acme')).toMatchObject({ seatsUsed: 3, memberCount: 3 });
    expect(members.auditEvents).toEqual([
      expect.objectContaining({
        action: 'member.added',
        target: { type: 'member', id: added.userId },
        after: {
          email: 'new@example.test',
          name: 'New Person',
          role: 'member',
          teamId: null,
          status: 'active',
          source: 'manual',
        },
      }),
    ]);
  });

  it('attaches the user already holding the email, whatever its case, making no second user', async () => {
    const { members, org } = acme();
    const added = await addMember({ members }, org, person({ email: 'EVE@elsewhere.test' }), ada, audit, 'sso');
    expect(added).toMatchObject({ userId: 'eve', email: 'eve@elsewhere.test', source: 'sso' });
    expect(members.user('eve')?.createdByOrgId).toBeNull();
  });

  it('refuses a person already a member (already_member)', async () => {
    const { members, org } = acme();
    await expect(addMember({ members }, org, person({ email: 'mia@example.test' }), ada, audit)).rejects.toMatchObject({
      code: 'already_member',
    });
  });
});

describe('addMember: seats and teams', () => {
  it('refuses a person beyond the seat limit (seat_limit_reached), writing nothing', async () => {
    const { members, org } = acme({ maxSeats: 2 });
    await expect(addMember({ members }, org, person(), ada, audit)).rejects.toBeInstanceOf(SeatLimitReachedError);
    expect(members.claimOf('new@example.test')).toBeUndefined();
    expect(members.org('acme')).toMatchObject({ seatsUsed: 2, memberCount: 2 });
    expect(members.auditEvents).toEqual([]);
  });

  it('puts the member in a team of the org, and refuses one that is not (400 naming teamId)', async () => {
    const { members, org } = acme({ maxSeats: 10 });
    expect(await addMember({ members }, org, person({ teamId: 'sales' }), ada, audit)).toMatchObject({
      teamId: 'sales',
    });
    const refusal = addMember({ members }, org, person({ email: 'x@example.test', teamId: 'nope' }), ada, audit);
    await expect(refusal).rejects.toBeInstanceOf(ValidationError);
    await expect(refusal).rejects.toMatchObject({ errors: [{ field: 'teamId' }] });
  });
});

describe('addMember: roles', () => {
  it('refuses a role the org does not have (400 naming role) before reading anything', async () => {
    const { members, org } = acme();
    const refusal = addMember({ members }, org, person({ role: 'wizard' }), ada, audit);
    await expect(refusal).rejects.toMatchObject({ status: 400, errors: [{ field: 'role' }] });
  });

  it('refuses a role holding a permission the actor lacks (role_escalation); an operator may give any', async () => {
    const { members, org } = acme();
    const refusal = addMember({ members }, org, person({ role: 'org_admin' }), mia, audit);
    await expect(refusal).rejects.toBeInstanceOf(ForbiddenError);
    await expect(refusal).rejects.toMatchObject({ code: 'role_escalation' });
    await addMember({ members }, org, person({ role: 'org_admin' }), undefined, audit);
    expect(members.org('acme')).toMatchObject({ activeAdminCount: 2 });
  });

  it('a custom role holding org:manage makes an admin, counted with its holders', async () => {
    const { members, org } = acme();
    const added = await addMember({ members }, org, person({ role: 'owner' }), ada, audit);
    expect(added).toMatchObject({ role: 'owner', managesOrg: true });
    expect(members.org('acme')).toMatchObject({ activeAdminCount: 2, roleHolders: { manager: 1, owner: 1 } });
  });

  it('a role the org changed since the authorizer read it is refused by the table (role_changed)', async () => {
    const { members, org } = acme();
    // The request saw `owner` without org:manage; the org item says otherwise.
    const stale = { ...org, customRoles: { ...org.customRoles, owner: { name: 'Owner', permissions: [] } } };
    await expect(addMember({ members }, stale, person({ role: 'owner' }), ada, audit)).rejects.toMatchObject({
      code: 'role_changed',
    });
  });
});

describe('addMember: concurrent adds of one email', () => {
  /** Another request claims the email between this one's read of the claim and its write. */
  class RacedClaim extends InMemoryMembers {
    reads = 0;
    constructor(private readonly races: number) {
      super(acmeWorld());
    }
    override async emailHolder(email: string): Promise<string | undefined> {
      this.reads++;
      const holder = await super.emailHolder(email);
      if (this.reads <= this.races) {
        // The winner's user and claim land now; this read saw the email free.
        this.seed({ users: [aUser(`winner-${this.reads}`, { email })] });
        return undefined;
      }
      return holder;
    }
  }

  it('the loser retries once and attaches the winner: one user, one membership', async () => {
    const members = new RacedClaim(1);
    const added = await addMember({ members }, members.org('acme')!, person(), ada, audit);
    expect(added.userId).toBe('winner-1');
    expect(members.reads).toBe(2);
    expect(members.claimOf('new@example.test')).toBe('winner-1');
    expect(members.auditEvents).toHaveLength(1);
  });

  it('only once: a second lost race is answered concurrent_modification', async () => {
    const members = new RacedClaim(2);
    await expect(addMember({ members }, members.org('acme')!, person(), ada, audit)).rejects.toBeInstanceOf(
      ConcurrentModificationError,
    );
    expect(members.reads).toBe(2);
    expect(members.auditEvents).toEqual([]);
  });

  it('attaching an existing person is not retried: their record gone is email_taken', async () => {
    const { members, org } = acme();
    members.dropUserRecord('eve');
    const refusal = addMember({ members }, org, person({ email: 'eve@elsewhere.test' }), ada, audit);
    await expect(refusal).rejects.toBeInstanceOf(ConflictError);
    await expect(refusal).rejects.toMatchObject({ code: 'email_taken' });
  });
});
