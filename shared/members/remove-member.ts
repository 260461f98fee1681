import { auditStep, type AuditContext } from '../audit/audit-event.js';
import { membershipKey } from '../data/keys.js';
import { remove, transactWrite, type TransactionStep } from '../data/transactions.js';
import { ConcurrentModificationError, NotFoundError } from '../errors.js';
import type { Membership } from './membership.js';
import { actorStillAdminStep, counterDelta, membershipSearchRemoveSteps, orgCountersStep } from './membership-steps.js';
import { sessionEndUnlessActiveElsewhere, signOutEverywhere, withFreshRetry, type KnownAccount } from './end-access.js';
import { profileRemoveSteps, readScimMemberWithOthers } from '../scim/scim-user-repository.js';
import type { StatusChangeDeps } from './change-member-status.js';

/**
 * Removes a membership: the seat is freed, access to the org ends on the next request, and
 * the user, their other memberships and every audit event stay (history is found by userId).
 * A SCIM profile and externalId claim go with it, so the IdP may provision the person again.
 * One index Query reads the membership, the profile and the user's other memberships (whether
 * sessions end); the transaction conditions both items on the versions read, and a stale read
 * is repeated once on a strong read (withFreshRetry). Used by DELETE /Users when the org's
 * `scim.deleteAction` is `remove` too, where `notFound` says a member whose SCIM User is
 * already deleted is not there.
 */
export async function removeMember(
  deps: StatusChangeDeps,
  orgId: string,
  userId: string,
  actor: Membership | undefined,
  audit: AuditContext,
  notFound: (m: Membership) => boolean = () => false,
  /** A person leaving (DELETE /v1/me/memberships/{orgId}) keeps their sessions elsewhere, and the audit says they left. */
  options: { leaving?: boolean; known?: KnownAccount | undefined } = {},
): Promise<void> {
  const { db } = deps;
  await withFreshRetry(async (fresh) => {
    const { member, others } = await readScimMemberWithOthers(db, orgId, userId, fresh);
    if (!member || notFound(member.membership)) throw new NotFoundError('No such member');
    const current = member.membership;
    const sessionEnd = options.leaving
      ? undefined
      : await sessionEndUnlessActiveElsewhere(db, orgId, others, userId, audit.now, options.known);
    const steps = [
      remove(
        db,
        membershipKey(orgId, userId),
        { expression: 'version = :seen', values: { ':seen': current.version } },
        () => new ConcurrentModificationError(),
      ),
      ...membershipSearchRemoveSteps(db, orgId, userId),
      orgCountersStep(db, orgId, counterDelta(current, undefined)),
      actorStillAdminStep(db, actor, userId),
      sessionEnd,
      ...profileRemoveSteps(db, orgId, userId, member),
      auditStep(
        db,
        {
          orgId,
          action: options.leaving ? 'member.left' : 'member.removed',
          target: { type: 'member', id: userId },
          before: { email: current.email, name: current.name, role: current.role, status: current.status },
        },
        audit,
      ),
    ].filter((s): s is TransactionStep => s !== undefined);
    await transactWrite(db, steps);
    if (sessionEnd) await signOutEverywhere(deps.identity, userId);
  });
}
