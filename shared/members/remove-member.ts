import type { AuditContext } from '../audit/audit-event.js';
import { NotFoundError } from '../errors.js';
import type { IdentityPort } from '../identity/identity-port.js';
import type { Membership } from './membership.js';
import { endsAccountSessionsAfter, signOutEverywhere, withFreshRetry, type KnownAccount } from './end-access.js';
import type { MemberRemovalStore } from './member-removal-store.js';

/** removeMember's ports: the table's store (memberRemovalStore(db)) or an in-memory fake, and the provider's sign-out. */
export interface RemoveMemberDeps {
  members: MemberRemovalStore;
  identity: Pick<IdentityPort, 'globalSignOut'>;
}

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
  deps: RemoveMemberDeps,
  orgId: string,
  userId: string,
  actor: Membership | undefined,
  audit: AuditContext,
  notFound: (m: Membership) => boolean = () => false,
  /** A person leaving (DELETE /v1/me/memberships/{orgId}) keeps their sessions elsewhere, and the audit says they left. */
  options: { leaving?: boolean; known?: KnownAccount | undefined } = {},
): Promise<void> {
  const { members } = deps;
  await withFreshRetry(async (fresh) => {
    const { member, others } = await members.memberWithOthers(orgId, userId, fresh);
    if (!member || notFound(member.membership)) throw new NotFoundError('No such member');
    const current = member.membership;
    const endAccountSessions = options.leaving
      ? false
      : await endsAccountSessionsAfter(members, orgId, userId, others, options.known);
    await members.commitRemoval({
      current,
      scim: member,
      actor,
      endAccountSessions,
      event: {
        orgId,
        action: options.leaving ? 'member.left' : 'member.removed',
        target: { type: 'member', id: userId },
        before: { email: current.email, name: current.name, role: current.role, status: current.status },
      },
      audit,
    });
    if (endAccountSessions) await signOutEverywhere(deps.identity, userId);
  });
}
