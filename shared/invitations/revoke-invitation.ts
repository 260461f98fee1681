import { auditStep, type AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { pendingInvitationClaimKey } from '../data/keys.js';
import { remove, transactWrite, type TransactionStep } from '../data/transactions.js';
import { orgCountersStep } from '../members/membership-steps.js';
import type { Invitation } from './invitation.js';
import { invitationNotFound, invitationNotPending } from './invitation-errors.js';
import { getInvitation, pendingInvitationWriteStep } from './invitation-repository.js';
import { revokeTokenStep } from './invitation-token.js';

/**
 * Revokes a pending invitation: it frees its seat and its email's pending claim, and leaves
 * the expiry index. The token item stays until its TTL, marked, so the link answers "revoked"
 * from the token alone (accept refuses it before creating anything).
 */
export async function revokeInvitation(
  db: Database,
  orgId: string,
  invitationId: string,
  audit: AuditContext,
): Promise<void> {
  const current = await getInvitation(db, orgId, invitationId);
  if (!current) throw invitationNotFound();
  if (current.status !== 'pending') throw invitationNotPending(current.status);

  const next: Invitation = { ...current, status: 'revoked', updatedAt: audit.now.toISOString() };
  const steps = [
    pendingInvitationWriteStep(db, next, current.version),
    orgCountersStep(db, orgId, { seats: -1, admins: 0, members: 0 }),
    remove(db, pendingInvitationClaimKey(orgId, current.email)),
    revokeTokenStep(db, current.tokenHash, current.expiresAt, audit.now),
    auditStep(
      db,
      {
        orgId,
        action: 'invitation.revoked',
        target: { type: 'invitation', id: invitationId },
        before: { status: 'pending' },
        after: { status: 'revoked' },
      },
      audit,
    ),
  ].filter((s): s is TransactionStep => s !== undefined);
  await transactWrite(db, steps);
}
