import { auditStep, type AuditContext } from '../audit/audit-event.js';
import { passwordTokenSteps } from '../credentials/password-token.js';
import type { Database } from '../data/dynamo-client.js';
import { membershipWriteSteps } from '../members/membership-steps.js';
import { orgToItem } from './org-repository.js';
import { transactWrite, put } from '../data/transactions.js';
import { findUserIdByEmail, getUser, personSteps } from '../users/user-repository.js';
import { ConflictError } from '../errors.js';
import { newId } from '../ids.js';
import { newMembership, type Membership } from '../members/membership.js';
import { ADMIN_ROLE } from '../roles.js';
import { DEFAULT_ORG_SETTINGS, type Org } from './org.js';
import type { CreateOrgInput } from './schemas.js';

export interface CreateOrgDeps {
  db: Database;
  /** Base URL for the set-password link mailed to a first admin new to Roster. */
  appUrl: string;
}

/**
 * Creates an org with its first org_admin (platform operators only). The existing user is
 * attached, or a new one made whose identity is created when first needed (lazy identities):
 * a person new to Roster, or one still without an identity, is mailed a set-password link,
 * whose completion creates it. Org, membership, audit events and mail are one transaction.
 */
export async function createOrg(
  deps: CreateOrgDeps,
  input: CreateOrgInput,
  audit: AuditContext,
): Promise<{ org: Org; admin: Membership }> {
  const { db } = deps;
  const now = audit.now.toISOString();
  const holder = await findUserIdByEmail(db, input.admin.email);
  const existing = holder ? await getUser(db, holder) : undefined;

  const org: Org = {
    orgId: newId(),
    name: input.name,
    maxSeats: input.maxSeats,
    seatsUsed: 1,
    activeAdminCount: 1,
    memberCount: 1,
    settings: { ...DEFAULT_ORG_SETTINGS },
    customRoles: {},
    rolesVersion: 0,
    roleHolders: {},
    createdAt: now,
    updatedAt: now,
  };
  const person = personSteps(db, input.admin, holder, audit.now, org.orgId);
  const { userId, steps: userSteps } = person;
  // A person who cannot sign in yet (new, or never got an identity) needs the link to get in.
  const needsPassword = person.isNew || existing?.identityState === 'pending';
  const admin = newMembership(
    {
      orgId: org.orgId,
      userId,
      name: input.admin.name,
      email: person.email,
      role: ADMIN_ROLE,
      teamId: null,
      source: 'manual',
    },
    audit.now,
  );
  const target = { type: 'member', id: userId };
  await transactWrite(db, [
    ...userSteps,
    put(db, orgToItem(org), 'attribute_not_exists(PK)', () => new ConflictError('Organization id collision; retry')),
    ...membershipWriteSteps(db, admin, 'new'),
    auditStep(
      db,
      {
        orgId: org.orgId,
        action: 'org.created',
        target: { type: 'org', id: org.orgId },
        after: { name: org.name, maxSeats: org.maxSeats },
      },
      audit,
    ),
    auditStep(
      db,
      {
        orgId: org.orgId,
        action: 'member.added',
        target,
        after: { email: admin.email, name: admin.name, role: admin.role, status: admin.status },
      },
      audit,
    ),
    ...(needsPassword
      ? await passwordTokenSteps(db, {
          orgId: org.orgId,
          userId,
          email: admin.email,
          name: admin.name,
          orgName: org.name,
          appUrl: deps.appUrl,
          now: audit.now,
        })
      : []),
  ]);
  return { org, admin };
}
