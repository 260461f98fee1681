import { auditStep, type AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { getMembership } from './membership-repository.js';
import { transactWrite, type TransactionStep } from '../data/transactions.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { IdentityPort } from '../identity/identity-port.js';
import type { Membership, MembershipStatus } from './membership.js';
import { actorStillAdminStep, counterDelta, membershipWriteSteps, orgCountersStep } from './membership-steps.js';
import { readLeavingMembership, signOutEverywhere, withFreshRetry, type KnownTarget } from './end-access.js';

export interface StatusChangeDeps {
  db: Database;
  identity: IdentityPort;
}

export interface StatusChange {
  orgId: string;
  userId: string;
  to: MembershipStatus;
  /** The acting admin's membership (absent for operators, SCIM and webhooks). */
  actor: Membership | undefined;
  /** More steps for the same transaction (a webhook's replay record): all commit or none. */
  extraSteps?: TransactionStep[];
  /** What the authorization read of the org and the member (KnownTarget); read here when absent. */
  known?: KnownTarget;
}

const ACTIONS: Record<MembershipStatus, string> = {
  active: 'member.reactivated',
  suspended: 'member.suspended',
  deprovisioned: 'member.deprovisioned',
};

/**
 * Moves a membership between active, suspended and deprovisioned. Leaving `active` frees the
 * seat (and, for the last active admin, is refused); returning to it needs a free seat. A user
 * left with no active membership has their sessions ended at once.
 */
export async function changeMemberStatus(
  deps: StatusChangeDeps,
  change: StatusChange,
  audit: AuditContext,
): Promise<Membership> {
  const { db } = deps;
  // Reactivation ends no sessions, so it needs only the membership; leaving `active` also asks
  // whether another active membership remains (one Query, see readLeavingMembership).
  return withFreshRetry(async (fresh) => {
    const { current, sessionEnd } =
      change.to === 'active'
        ? {
            current:
              change.known && !fresh ? change.known.membership : await getMembership(db, change.orgId, change.userId),
            sessionEnd: undefined,
          }
        : await readLeavingMembership(db, change.orgId, change.userId, audit.now, fresh, change.known);
    if (!current) throw new NotFoundError('No such member');
    if (current.status === change.to)
      throw new ConflictError(`The member is already ${change.to}`, `already_${change.to}`);
    const next: Membership = { ...current, status: change.to, updatedAt: audit.now.toISOString() };
    const steps = [
      ...membershipWriteSteps(db, next, current.version),
      orgCountersStep(db, change.orgId, counterDelta(current, next)),
      actorStillAdminStep(db, change.actor, change.userId),
      sessionEnd,
      auditStep(
        db,
        {
          orgId: change.orgId,
          action: ACTIONS[change.to],
          target: { type: 'member', id: change.userId },
          before: { status: current.status },
          after: { status: next.status },
        },
        audit,
      ),
      ...(change.extraSteps ?? []),
    ].filter((s): s is TransactionStep => s !== undefined);
    await transactWrite(db, steps);
    if (sessionEnd) await signOutEverywhere(deps.identity, change.userId);
    return { ...next, version: current.version + 1 };
  });
}
