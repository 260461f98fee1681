import type { AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { IdentityPort } from '../identity/identity-port.js';
import type { Membership, MembershipStatus } from './membership.js';
import { readLeaving, signOutEverywhere, withFreshRetry, type KnownTarget } from './end-access.js';
import type { MemberStatusStore } from './member-status-store.js';

/** The table and the identity provider: what ending a member's access needs (removal, SCIM, webhooks). */
export interface StatusChangeDeps {
  db: Database;
  identity: IdentityPort;
}

/** changeMemberStatus's ports: the table's store (memberStatusStore(db)) or an in-memory fake, and the provider's sign-out. */
export interface MemberStatusDeps {
  members: MemberStatusStore;
  identity: Pick<IdentityPort, 'globalSignOut'>;
}

export interface StatusChange {
  orgId: string;
  userId: string;
  to: MembershipStatus;
  /** The acting admin's membership (absent for operators, SCIM and webhooks). */
  actor: Membership | undefined;
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
 * left with no active membership has their sessions ended at once, when the org manages the
 * account (end-access.ts).
 */
export async function changeMemberStatus(
  deps: MemberStatusDeps,
  change: StatusChange,
  audit: AuditContext,
): Promise<Membership> {
  const { members } = deps;
  // Reactivation ends no sessions, so it needs only the membership; leaving `active` also asks
  // whether another active membership remains (one Query, see readLeaving).
  return withFreshRetry(async (fresh) => {
    const { current, endsAccountSessions } =
      change.to === 'active'
        ? {
            current:
              change.known && !fresh
                ? change.known.membership
                : await members.getMembership(change.orgId, change.userId),
            endsAccountSessions: false,
          }
        : await readLeaving(members, change.orgId, change.userId, fresh, change.known);
    if (!current) throw new NotFoundError('No such member');
    if (current.status === change.to)
      throw new ConflictError(`The member is already ${change.to}`, `already_${change.to}`);
    const next: Membership = { ...current, status: change.to, updatedAt: audit.now.toISOString() };
    await members.commitStatusChange({
      current,
      next,
      actor: change.actor,
      endAccountSessions: endsAccountSessions,
      event: {
        orgId: change.orgId,
        action: ACTIONS[change.to],
        target: { type: 'member', id: change.userId },
        before: { status: current.status },
        after: { status: next.status },
      },
      audit,
    });
    if (endsAccountSessions) await signOutEverywhere(deps.identity, change.userId);
    return { ...next, version: current.version + 1 };
  });
}
