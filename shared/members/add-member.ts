import { auditStep, type AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { teamKey } from '../data/keys.js';
import { check, transactWrite, type TransactionStep } from '../data/transactions.js';
import { findUserIdByEmail, personSteps } from '../users/user-repository.js';
import { ConcurrentModificationError, ValidationError } from '../errors.js';
import { newMembership, withRole, type Membership, type MembershipSource } from './membership.js';
import type { Org } from '../orgs/org.js';
import { assignableRole } from '../roles/assign-role.js';
import { counterDelta, membershipWriteSteps, orgCountersStep } from './membership-steps.js';
import type { AddMemberInput } from './schemas.js';

export interface AddMemberDeps {
  db: Database;
}

/** The team must exist in this org when the membership is written. */
export function teamExistsStep(db: Database, orgId: string, teamId: string): TransactionStep {
  return check(
    db,
    { key: teamKey(orgId, teamId), condition: 'attribute_exists(PK)' },
    () => new ValidationError([{ field: 'teamId', message: 'is not a team of this organization' }]),
  );
}

/**
 * Adds a person to an org without mail: attaches the Roster user holding the email, or makes a
 * new one whose identity is created when first needed (lazy identities: no identity-provider
 * call here), then writes membership, seat and admin counters and the audit event in one
 * transaction. Round trips: the email claim's GetItem and the transaction. Concurrent adds of
 * one email make one user and one membership (the loser of the email claim retries once and
 * attaches the winner).
 */
export async function addMember(
  deps: AddMemberDeps,
  org: Pick<Org, 'orgId' | 'customRoles'>,
  input: AddMemberInput,
  actor: Membership | undefined,
  audit: AuditContext,
  source: MembershipSource = 'manual',
): Promise<Membership> {
  const { db } = deps;
  const { orgId } = org;
  assignableRole(org.customRoles, actor, input.role);
  for (let attempt = 1; ; attempt++) {
    const person = personSteps(db, input, await findUserIdByEmail(db, input.email), audit.now, orgId);
    const { userId } = person;
    const membership = withRole(
      newMembership(
        {
          orgId,
          userId,
          name: input.name,
          email: person.email,
          role: input.role,
          teamId: input.teamId ?? null,
          source,
        },
        audit.now,
      ),
      input.role,
      org.customRoles,
    );
    const steps = [
      ...membershipWriteSteps(db, membership, 'new'),
      ...person.steps,
      orgCountersStep(db, orgId, counterDelta(undefined, membership)),
      membership.teamId ? teamExistsStep(db, orgId, membership.teamId) : undefined,
      auditStep(
        db,
        {
          orgId,
          action: 'member.added',
          target: { type: 'member', id: userId },
          after: {
            email: membership.email,
            name: membership.name,
            role: membership.role,
            teamId: membership.teamId,
            status: membership.status,
            source,
          },
        },
        audit,
      ),
    ].filter((s): s is TransactionStep => s !== undefined);
    try {
      await transactWrite(db, steps);
      return membership;
    } catch (error) {
      if (person.isNew && attempt === 1 && error instanceof ConcurrentModificationError) continue;
      throw error;
    }
  }
}
