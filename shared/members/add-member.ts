import { auditStep, type AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { normalizeEmail, teamKey } from '../data/keys.js';
import { check, transactWrite, type TransactionStep } from '../data/transactions.js';
import { userRecordSteps } from '../data/user-repository.js';
import { ValidationError } from '../errors.js';
import type { IdentityPort } from '../identity/identity-port.js';
import { newMembership, type Membership, type MembershipSource } from './membership.js';
import { counterDelta, membershipWriteSteps, orgCountersStep } from './membership-steps.js';
import type { AddMemberInput } from './schemas.js';
import { emailInDomains } from '../users/account-management.js';

export interface AddMemberDeps {
  db: Database;
  identity: IdentityPort;
  /** The org's verified domains: a new identity there has its email verified (an admin's typing proves nothing elsewhere). */
  verifiedDomains?: readonly string[];
}

/** The team must exist in this org when the membership is written. */
export function teamExistsStep(db: Database, orgId: string, teamId: string): TransactionStep {
  return check(db, { key: teamKey(orgId, teamId), condition: 'attribute_exists(PK)' }, () => new ValidationError([{ field: 'teamId', message: 'is not a team of this organization' }]));
}

/**
 * Adds a person to an org without mail: creates the identity (provider mail suppressed) or
 * attaches the existing user, then writes membership, seat and admin counters and the audit
 * event in one transaction. Concurrent adds of one email make one user and one membership.
 */
export async function addMember(deps: AddMemberDeps, orgId: string, input: AddMemberInput, audit: AuditContext, source: MembershipSource = 'manual'): Promise<Membership> {
  const { db } = deps;
  const identity = await deps.identity.ensureUser({ email: input.email, name: input.name, emailVerified: emailInDomains(normalizeEmail(input.email), deps.verifiedDomains ?? []) });
  const { userId } = identity;
  const { user, steps: userSteps } = await userRecordSteps(db, identity, input, audit.now, orgId);
  const membership = newMembership({ orgId, userId, name: input.name, email: user?.email ?? input.email, role: input.role, teamId: input.teamId ?? null, source }, audit.now);
  const steps = [
    ...membershipWriteSteps(db, membership, 'new'),
    ...userSteps,
    orgCountersStep(db, orgId, counterDelta(undefined, membership)),
    membership.teamId ? teamExistsStep(db, orgId, membership.teamId) : undefined,
    auditStep(db, { orgId, action: 'member.added', target: { type: 'member', id: userId }, after: { email: membership.email, name: membership.name, role: membership.role, teamId: membership.teamId, status: membership.status, source } }, audit),
  ].filter((s): s is TransactionStep => s !== undefined);
  await transactWrite(db, steps);
  return membership;
}
