import { auditStep, type AuditContext } from '../audit/audit-event.js';
import { passwordTokenSteps } from '../credentials/password-token.js';
import type { Database } from '../data/dynamo-client.js';
import { membershipWriteSteps } from '../members/membership-steps.js';
import { orgToItem } from '../data/org-repository.js';
import { transactWrite, put } from '../data/transactions.js';
import { userRecordSteps } from '../data/user-repository.js';
import { ConflictError } from '../errors.js';
import type { IdentityPort } from '../identity/identity-port.js';
import { newId } from '../ids.js';
import { newMembership, type Membership } from '../members/membership.js';
import { ADMIN_ROLE } from '../roles.js';
import { DEFAULT_ORG_SETTINGS, type Org } from './org.js';
import type { CreateOrgInput } from './schemas.js';

export interface CreateOrgDeps {
  db: Database;
  identity: IdentityPort;
  /** Base URL for the set-password link mailed to a first admin new to Roster. */
  appUrl: string;
}

/**
 * Creates an org with its first org_admin (platform operators only). The admin's identity is
 * created without provider mail, or the existing user is attached; a person new to Roster is
 * mailed a set-password link. Org, membership, audit events and mail are one transaction.
 */
export async function createOrg(deps: CreateOrgDeps, input: CreateOrgInput, audit: AuditContext): Promise<{ org: Org; admin: Membership }> {
  const { db } = deps;
  const now = audit.now.toISOString();
  const identity = await deps.identity.ensureUser(input.admin);
  const { userId, created } = identity;

  const org: Org = {
    orgId: newId(),
    name: input.name,
    maxSeats: input.maxSeats,
    seatsUsed: 1,
    activeAdminCount: 1,
    memberCount: 1,
    settings: { ...DEFAULT_ORG_SETTINGS },
    createdAt: now,
    updatedAt: now,
  };
  const { user: existing, steps: userSteps } = await userRecordSteps(db, identity, input.admin, audit.now, org.orgId);
  const admin = newMembership({ orgId: org.orgId, userId, name: input.admin.name, email: existing?.email ?? input.admin.email, role: ADMIN_ROLE, teamId: null, source: 'manual' }, audit.now);
  const target = { type: 'member', id: userId };
  await transactWrite(db, [
    ...userSteps,
    put(db, orgToItem(org), 'attribute_not_exists(PK)', () => new ConflictError('Organization id collision; retry')),
    ...membershipWriteSteps(db, admin, 'new'),
    auditStep(db, { orgId: org.orgId, action: 'org.created', target: { type: 'org', id: org.orgId }, after: { name: org.name, maxSeats: org.maxSeats } }, audit),
    auditStep(db, { orgId: org.orgId, action: 'member.added', target, after: { email: admin.email, name: admin.name, role: admin.role, status: admin.status } }, audit),
    ...(created ? passwordTokenSteps(db, { orgId: org.orgId, userId, email: admin.email, name: admin.name, orgName: org.name, appUrl: deps.appUrl, now: audit.now }) : []),
  ]);
  return { org, admin };
}
