import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { writeStep } from '../data/conditional-write.js';
import type { Database } from '../data/dynamo-client.js';
import { outboxIndexKeys, outboxKey } from '../data/keys.js';
import { update } from '../data/transactions.js';
import { recordDelivery, type DeliveryOutcome } from '../invitations/invitation-repository.js';
import type { MailSender } from './mail-port.js';
import { OUTBOX_ENTITY, type MailMessage, type OutboxRef } from './outbox.js';
import { classifySendError } from './send-errors.js';
import { renderMail } from './templates.js';

/** An outbox item as the stream delivers it (new image, unmarshalled). */
export type OutboxItem = MailMessage & {
  entity: string;
  messageId: string;
  ref?: OutboxRef;
  orgId?: string | null;
  state?: string;
};

export const isOutboxItem = (item: Record<string, unknown> | undefined): item is OutboxItem =>
  item?.entity === OUTBOX_ENTITY;

/** Longest failure reason kept on the invitation: enough to tell a throttle from a rejected address. */
const MAX_REASON_LENGTH = 200;

/** A short, single-line reason for an admin to read: the SDK error's name and message, never a stack. */
export function failureReason(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.replace(/\s+/g, ' ').trim().slice(0, MAX_REASON_LENGTH);
}

/** Records an outcome on the invitation; a failure to record is reported, never thrown. */
async function record(
  deps: { db: Database; onRecordFailure?: (error: unknown) => void },
  ref: OutboxRef,
  outcome: DeliveryOutcome,
  at: Date,
): Promise<void> {
  try {
    await recordDelivery(deps.db, ref, outcome, at);
  } catch (error) {
    deps.onRecordFailure?.(error);
  }
}

/**
 * Sends one queued mail, then deletes its outbox item (which also drops the raw token it
 * carries), so a replayed record is not mailed twice. A mail about an invitation records its
 * outcome there: `sent` once SES accepted it; `failed` with a short reason otherwise. A
 * permanent refusal (send-errors.ts) marks the outbox item `failed` (into its org's failed-mail
 * index, for the redrive) and returns: the shard moves on at once. A transient one is
 * rethrown, so the stream retries with backoff and, past the retries, dead-letters the record
 * while the outbox item stays queued (stale, for the redrive): nothing is lost.
 */
export async function deliverOutboxMail(
  deps: { db: Database; sender: MailSender; now?: () => Date; onRecordFailure?: (error: unknown) => void },
  item: OutboxItem,
): Promise<void> {
  const { entity: _entity, messageId, ref, ...message } = item;
  const now = deps.now ?? (() => new Date());
  // A replayed stream record whose mail already went out finds its outbox item gone.
  const { Item } = await deps.db.client.send(
    new GetCommand({ TableName: deps.db.tableName, Key: outboxKey(messageId), ConsistentRead: true }),
  );
  if (!Item || Item.state === 'failed') return;
  try {
    await deps.sender.send(message.to, renderMail(message as MailMessage));
  } catch (error) {
    const reason = failureReason(error);
    if (ref) await record(deps, ref, { state: 'failed', reason }, now());
    if (classifySendError(error) === 'transient') throw error;
    await markFailed(deps.db, Item, reason, now());
    return;
  }
  // SES has the mail. Recording it is bookkeeping: its failure must not make the stream send the mail again.
  if (ref) await record(deps, ref, { state: 'sent' }, now());
  await deps.db.client.send(new DeleteCommand({ TableName: deps.db.tableName, Key: outboxKey(messageId) }));
}

/** The outbox item moved to `failed` (and its org's failed-mail index partition), kept for a redrive until its TTL. */
async function markFailed(db: Database, item: Record<string, unknown>, reason: string, at: Date): Promise<void> {
  const orgId = (item.orgId as string | null | undefined) ?? null;
  const keys = outboxIndexKeys(orgId, 'failed', at.toISOString(), item.messageId as string);
  const [pkName, skName] = Object.keys(keys) as [string, string];
  // Gone meanwhile (its TTL): nothing left to redrive.
  await writeStep(
    db,
    update(db, {
      key: outboxKey(item.messageId as string),
      updateExpression: 'SET #state = :failed, failedReason = :reason, failedAt = :at, #ipk = :ipk, #isk = :isk',
      condition: 'attribute_exists(PK)',
      names: { '#state': 'state', '#ipk': pkName, '#isk': skName },
      values: {
        ':failed': 'failed',
        ':reason': reason,
        ':at': at.toISOString(),
        ':ipk': keys[pkName],
        ':isk': keys[skName],
      },
    }),
  );
}
