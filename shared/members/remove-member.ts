import { auditStep, type AuditContext } from '../audit/audit-event.js';
import { membershipKey } from '../data/keys.js';
import { remove, transactWrite, type TransactionStep } from '../data/transactions.js';
import { ConcurrentModificationError, NotFoundError } from '../errors.js';
import type { Membership } from './membership.js';
import { actorStillAdminStep, counterDelta, orgCountersStep } from './membership-steps.js';
import { readLeavingMembership, signOutEverywhere, withFreshRetry } from './end-access.js';
import type { StatusChangeDeps } from './change-member-status.js';

/**
 * Removes a membership: the seat is freed, access to the org ends on the next request, and
 * the user, their other memberships and every audit event stay (history is found by userId).
 */
export async function removeMember(deps: StatusChangeDeps, orgId: string, userId: string, actor: Membership | undefined, audit: AuditContext): Promise<void> {
  const { db } = deps;
  await withFreshRetry(async (fresh) => {
    const { current, sessionEnd } = await readLeavingMembership(db, orgId, userId, audit.now, fresh);
    if (!current) throw new NotFoundError('No such member');
    const steps = [
      remove(db, membershipKey(orgId, userId), { expression: 'version = :seen', values: { ':seen': current.version } }, () => new ConcurrentModificationError()),
      orgCountersStep(db, orgId, counterDelta(current, undefined)),
      actorStillAdminStep(db, actor, userId),
      sessionEnd,
      auditStep(db, { orgId, action: 'member.removed', target: { type: 'member', id: userId }, before: { email: current.email, name: current.name, role: current.role, status: current.status } }, audit),
    ].filter((s): s is TransactionStep => s !== undefined);
    await transactWrite(db, steps);
    if (sessionEnd) await signOutEverywhere(deps.identity, userId);
  });
}
