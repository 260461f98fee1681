import type { Clock } from '../clock.js';
import type { Database } from '../data/dynamo-client.js';
import { recordDelivery, type DeliveryOutcome } from '../invitations/invitation-repository.js';
import type { MailSender } from './mail-port.js';
import { openMailLink } from './mail-link.js';
import { recordMemberMailDelivery } from './member-mail.js';
import {
  deleteOutboxItem,
  linkSendId,
  markOutboxFailed,
  readOutboxItem,
  type MailMessage,
  type OutboxRef,
} from './outbox.js';
import { classifySendError } from './send-errors.js';
import { SealBrokenError } from '../secrets/sealed-secret.js';
import { renderMail } from './templates.js';

/** An outbox item as the stream delivers it (new image, unmarshalled). */
export type OutboxItem = MailMessage & {
  entity: string;
  messageId: string;
  ref?: OutboxRef;
  orgId?: string | null;
  state?: string;
};

/** Longest failure reason kept on the invitation: enough to tell a throttle from a rejected address. */
const MAX_REASON_LENGTH = 200;

/** A short, single-line reason for an admin to read: the SDK error's name and message, never a stack. */
export function failureReason(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.replace(/\s+/g, ' ').trim().slice(0, MAX_REASON_LENGTH);
}

/** Records an outcome where the mail came from (the invitation, the member); a failure to record is reported, never thrown. */
async function record(
  deps: { db: Database; onRecordFailure?: (error: unknown) => void },
  ref: OutboxRef,
  outcome: DeliveryOutcome,
  at: Date,
): Promise<void> {
  try {
    if (ref.kind === 'member') await recordMemberMailDelivery(deps.db, ref, outcome, at);
    else await recordDelivery(deps.db, ref, outcome, at);
  } catch (error) {
    deps.onRecordFailure?.(error);
  }
}

/**
 * Sends one queued mail, its link opened only here, for rendering (the item holds it sealed:
 * mail-link.ts), then deletes its outbox item, so a replayed record is not mailed twice. A link
 * that does not open for this mail (sealed for another send or recipient) fails it for good.
 * A mail about an invitation or a member's credentials records its outcome there: `sent` once
 * SES accepted it; `failed` with a short reason otherwise. A permanent refusal (send-errors.ts)
 * marks the outbox item `failed` (into its org's failed-mail index, for the redrive) and
 * returns: the shard moves on at once. A transient one is
 * rethrown, so the stream retries with backoff and, past the retries, dead-letters the record
 * while the outbox item stays queued (stale, for the redrive): nothing is lost.
 */
export async function deliverOutboxMail(
  deps: { db: Database; sender: MailSender; clock: Clock; onRecordFailure?: (error: unknown) => void },
  item: OutboxItem,
): Promise<void> {
  const { entity: _entity, messageId, ref, ...message } = item;
  // A replayed stream record whose mail already went out finds its outbox item gone.
  const Item = await readOutboxItem(deps.db, messageId);
  if (!Item || Item.state === 'failed') return;
  try {
    const mail = await openMailLink(message as MailMessage, linkSendId({ messageId, ref }));
    await deps.sender.send(message.to, renderMail(mail));
  } catch (error) {
    const reason = failureReason(error);
    if (ref) await record(deps, ref, { state: 'failed', reason }, deps.clock());
    // KMS unreachable is transient like SES; a broken seal fails the same way every time.
    if (!(error instanceof SealBrokenError) && classifySendError(error) === 'transient') throw error;
    await markOutboxFailed(
      deps.db,
      { messageId, orgId: (Item.orgId as string | null | undefined) ?? null },
      reason,
      deps.clock(),
    );
    return;
  }
  // SES has the mail. Recording it is bookkeeping: its failure must not make the stream send the mail again.
  if (ref) await record(deps, ref, { state: 'sent' }, deps.clock());
  await deleteOutboxItem(deps.db, messageId);
}
