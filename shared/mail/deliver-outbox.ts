import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Database } from '../data/dynamo-client.js';
import { outboxKey } from '../data/keys.js';
import type { MailSender } from './mail-port.js';
import { OUTBOX_ENTITY, type MailMessage } from './outbox.js';
import { renderMail } from './templates.js';

/** An outbox item as the stream delivers it (new image, unmarshalled). */
export type OutboxItem = MailMessage & { entity: string; messageId: string };

export const isOutboxItem = (item: Record<string, unknown> | undefined): item is OutboxItem => item?.entity === OUTBOX_ENTITY;

/**
 * Sends one queued mail, then deletes its outbox item (which also drops the raw token it
 * carries), so a replayed record is not mailed twice. A send failure propagates so the stream retries it, and past the retries the
 * record lands in the dead-letter queue.
 */
export async function deliverOutboxMail(deps: { db: Database; sender: MailSender }, item: OutboxItem): Promise<void> {
  const { entity: _entity, messageId, ...message } = item;
  // A replayed stream record whose mail already went out finds its outbox item gone.
  const { Item } = await deps.db.client.send(new GetCommand({ TableName: deps.db.tableName, Key: outboxKey(messageId), ConsistentRead: true }));
  if (!Item) return;
  await deps.sender.send(message.to, renderMail(message as MailMessage));
  await deps.db.client.send(new DeleteCommand({ TableName: deps.db.tableName, Key: outboxKey(messageId) }));
}
