import { randomUUID } from 'node:crypto';
import type { Org } from '../../shared/orgs/org.js';
import { DEFAULT_ORG_SETTINGS } from '../../shared/orgs/org.js';
import { EMPTY_PROFILE } from '../../shared/scim/user-state.js';
import type { User } from '../../shared/users/user.js';
import type { MembersWorld } from '../fakes/in-memory-members.js';
import { aMembership, anOrg, aUser } from '../fakes/fixtures.js';

/**
 * One member store under test (the table's, or the in-memory fake), with what a contract needs
 * to arrange the items and look at them afterwards, the same way for both.
 */
export interface MembersSubject<Store> {
  store: Store;
  seed(world: MembersWorld): Promise<void>;
  org(orgId: string): Promise<Org | undefined>;
  user(userId: string): Promise<User | undefined>;
  /** The audit actions written for the org, in any order. */
  auditActions(orgId: string): Promise<string[]>;
  /** Who holds the email's platform-wide claim. */
  claimOf(email: string): Promise<string | undefined>;
  /** The member's SCIM profile version (undefined: none), and who holds an externalId in the org. */
  scimProfileVersion(orgId: string, userId: string): Promise<number | undefined>;
  externalIdHolder(orgId: string, externalId: string): Promise<string | undefined>;
  /** Whether a confirmation link was mailed to the member (the email change outside the verified domains). */
  confirmationMailed(orgId: string, userId: string): Promise<boolean>;
  /** The identity provider's address of an account whose email moved at once (undefined: never moved). */
  identityEmail(userId: string): Promise<string | undefined>;
}

/**
 * Acme with three seats, two taken: its only admin and bob (active), and cid (suspended, no
 * seat); eve is a Roster user who is no member; bob is also an admin of another org. Acme
 * verifies its own domain, has a team, a custom role without org:manage (`editor`) and one with
 * it (`owner`), and keeps a SCIM profile for bob. Fresh ids each time, so cases against one
 * table never meet.
 */
export function acmeWorld() {
  const id = randomUUID().slice(0, 8);
  const orgId = `acme-${id}`;
  const otherOrgId = `other-${id}`;
  const domain = `acme-${id}.test`;
  const teamId = `team-${id}`;
  const [admin, bob, cid, eve] = ['admin', 'bob', 'cid', 'eve'].map((name) => `${name}-${id}`) as [
    string,
    string,
    string,
    string,
  ];
  const externalId = `ext-${id}`;
  const world = {
    orgs: [
      anOrg(orgId, {
        maxSeats: 3,
        seatsUsed: 2,
        activeAdminCount: 1,
        memberCount: 3,
        settings: { ...DEFAULT_ORG_SETTINGS, verifiedDomains: [domain] },
        customRoles: {
          editor: { name: 'Editor', permissions: ['members:read'] },
          owner: { name: 'Owner', permissions: ['org:manage'] },
        },
      }),
      anOrg(otherOrgId, { seatsUsed: 1, activeAdminCount: 1, memberCount: 1 }),
    ],
    users: [
      aUser(admin, { email: `${admin}@${domain}` }),
      aUser(bob, { email: `${bob}@${domain}`, createdByOrgId: orgId }),
      aUser(cid, { email: `${cid}@${domain}` }),
      aUser(eve, { email: `${eve}@elsewhere.test` }),
    ],
    memberships: [
      aMembership(orgId, admin, { role: 'org_admin', email: `${admin}@${domain}` }),
      aMembership(orgId, bob, { email: `${bob}@${domain}`, version: 3 }),
      aMembership(orgId, cid, { status: 'suspended', email: `${cid}@${domain}` }),
      aMembership(otherOrgId, bob, { role: 'org_admin', email: `${bob}@${domain}` }),
    ],
    teams: [{ orgId, teamId }],
    scimProfiles: [{ orgId, userId: bob, profile: { ...EMPTY_PROFILE, externalId, userName: bob }, version: 2 }],
  } satisfies MembersWorld;
  const membership = (userId: string, org = orgId) =>
    world.memberships.find((m) => m.orgId === org && m.userId === userId)!;
  return { id, orgId, otherOrgId, domain, teamId, admin, bob, cid, eve, externalId, world, membership };
}
