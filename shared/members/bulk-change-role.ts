import { auditStep, type AuditContext } from '../audit/audit-event.js';
import { batchGetConsistent } from '../data/batch-get.js';
import type { Database } from '../data/dynamo-client.js';
import { membershipKey } from '../data/keys.js';
import { membershipFromItem } from './membership-repository.js';
import { transactWrite, type TransactionStep } from '../data/transactions.js';
import { NotFoundError } from '../errors.js';
import type { Org } from '../orgs/org.js';
import type { Role } from '../roles.js';
import { assertMayChangeRole, assignableRole } from '../roles/assign-role.js';
import { withRole, type Membership } from './membership.js';
import {
  actorStillAdminStep,
  counterDelta,
  membershipWriteSteps,
  orgCountersStep,
  sumDeltas,
} from './membership-steps.js';

/**
 * Gives many members one role, all or nothing: every changed membership, the admin counter,
 * the actor check and one audit event (listing each member's before/after) are one
 * transaction, so last-admin protection holds for the batch as a whole.
 */
export async function bulkChangeRole(
  db: Database,
  org: Pick<Org, 'orgId' | 'customRoles'>,
  userIds: string[],
  role: Role,
  actor: Membership | undefined,
  audit: AuditContext,
): Promise<{ changed: string[]; unchanged: string[] }> {
  const { orgId, customRoles } = org;
  assignableRole(customRoles, actor, role);
  const unique = [...new Set(userIds)];
  const items = await batchGetConsistent(
    db,
    unique.map((id) => membershipKey(orgId, id)),
  );
  const found = new Map(items.map(membershipFromItem).map((m) => [m.userId, m]));
  const missing = unique.filter((id) => !found.has(id));
  if (missing.length > 0) throw new NotFoundError(`No such members: ${missing.join(', ')}`, 'members_not_found');

  const toChange = [...found.values()].filter((m) => m.role !== role);
  if (toChange.length === 0) return { changed: [], unchanged: unique };
  for (const m of toChange) assertMayChangeRole(customRoles, actor, m, role, 'role');
  const now = audit.now.toISOString();
  const moves = toChange.map((current) => ({
    current,
    next: { ...withRole(current, role, customRoles), updatedAt: now },
  }));
  const delta = moves.map((m) => counterDelta(m.current, m.next)).reduce(sumDeltas);
  // BULK_ROLE_LIMIT (the schema) keeps these within one transaction's 100 actions.
  const steps = [
    ...moves.flatMap((m) => membershipWriteSteps(db, m.next, m.current.version)),
    orgCountersStep(db, orgId, delta),
    actor && !found.has(actor.userId) ? actorStillAdminStep(db, actor, '') : undefined,
    auditStep(
      db,
      {
        orgId,
        action: 'member.role_changed.bulk',
        target: { type: 'org', id: orgId },
        before: { members: toChange.map((m) => ({ userId: m.userId, role: m.role })) },
        after: { role, userIds: toChange.map((m) => m.userId) },
      },
      audit,
    ),
  ].filter((s): s is TransactionStep => s !== undefined);
  await transactWrite(db, steps);
  return {
    changed: toChange.map((m) => m.userId),
    unchanged: unique.filter((id) => !toChange.some((m) => m.userId === id)),
  };
}
