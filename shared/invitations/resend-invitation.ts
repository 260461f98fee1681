import { auditStep, type AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { transactWrite } from '../data/transactions.js';
import { newId } from '../ids.js';
import type { Org } from '../orgs/org.js';
import { expiryFrom, invitationView, type Invitation, type InvitationView } from './invitation.js';
import { invitationNotFound, invitationNotPending } from './invitation-errors.js';
import { getInvitation, pendingInvitationWriteStep } from './invitation-repository.js';
import { deleteTokenStep, invitationTokenSteps, issueInvitationToken } from './invitation-token.js';

/**
 * Mails a pending invitation again with a new link: the old token is deleted in the same
 * transaction (its link dies), and the clock restarts from the org's current lifetime.
 */
export async function resendInvitation(
  deps: { db: Database; appUrl: string },
  org: Org,
  invitationId: string,
  audit: AuditContext,
): Promise<InvitationView> {
  const { db } = deps;
  const current = await getInvitation(db, org.orgId, invitationId);
  if (!current) throw invitationNotFound();
  if (current.status !== 'pending') throw invitationNotPending(current.status);

  const issued = issueInvitationToken();
  const next: Invitation = {
    ...current,
    tokenHash: issued.tokenHash,
    expiresAt: expiryFrom(audit.now, org.settings.invitationTtlHours),
    updatedAt: audit.now.toISOString(),
    // A new send: the old mail's outcome, arriving late, no longer matches deliverySendId.
    delivery: 'queued',
    deliveryAt: audit.now.toISOString(),
    deliveryError: null,
    deliverySendId: newId(),
    version: current.version + 1,
  };
  await transactWrite(db, [
    pendingInvitationWriteStep(db, next, current.version, undefined, undefined, { delivery: true }),
    deleteTokenStep(db, current.tokenHash),
    ...(await invitationTokenSteps(db, next, issued, { orgName: org.name, appUrl: deps.appUrl, now: audit.now })),
    auditStep(
      db,
      {
        orgId: org.orgId,
        action: 'invitation.resent',
        target: { type: 'invitation', id: invitationId },
        before: { expiresAt: current.expiresAt },
        after: { expiresAt: next.expiresAt },
      },
      audit,
    ),
  ]);
  return invitationView(next);
}
