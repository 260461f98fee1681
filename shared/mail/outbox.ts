import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { writeStep } from '../data/conditional-write.js';
import { outboxIndexKeys, outboxKey } from '../data/keys.js';
import type { Database } from '../data/dynamo-client.js';
import { put, update, type TransactionStep } from '../data/transactions.js';
import { newId } from '../ids.js';
import { openMailLink, sealMailLink } from './mail-link.js';
import { OUTBOX_ENTITY } from './outbox-entity.js';

export { OUTBOX_ENTITY };

/** The mails Roster sends; the mailer renders each from its template name and data. */
export type MailMessage =
  | { template: 'password_setup'; to: string; data: { name: string; orgName: string; link: string; expiresAt: string } }
  | { template: 'password_reset'; to: string; data: { name: string; link: string; expiresAt: string } }
  | {
      template: 'email_confirmation';
      to: string;
      data: { name: string; orgName: string; link: string; expiresAt: string };
    }
  | {
      template: 'invitation';
      to: string;
      data: {
        orgName: string;
        inviterName: string | null;
        inviterEmail: string;
        role: string;
        message: string | null;
        link: string;
        expiresAt: string;
      };
    };

/** Which member's credential-mail state a mail reports to (member-mail.ts). */
export type MemberMailRef = { kind: 'member'; orgId: string; userId: string; sendId: string };

/** What a mail is about, so the mailer can record its outcome there (an invitation's or a member's current send). */
export type OutboxRef = { kind: 'invitation'; orgId: string; invitationId: string; sendId: string } | MemberMailRef;

/** Outbox items outlive any retry schedule, then DynamoDB's TTL removes them. */
const OUTBOX_RETENTION_SECONDS = 7 * 24 * 3600;

/**
 * The mail as one step of the change's own transaction (transactional outbox): the change and
 * its mail are written together; the table stream drives the mailer, which retries. Its link
 * is sealed to its send (mail-link.ts): the item, its stream images and backups never hold the raw token.
 */
export async function outboxStep(
  db: Database,
  message: MailMessage,
  now: Date,
  options: { messageId?: string; ref?: OutboxRef; orgId?: string } = {},
): Promise<TransactionStep> {
  const messageId = options.messageId ?? newId();
  const sealed = await sealMailLink(message, linkSendId({ messageId, ref: options.ref }));
  return put(db, outboxItem(sealed, now, { ...options, messageId }));
}

/** A stored outbox item's link, opened as the mailer opens it: for tests and the bench, which hold the local data key and run no mailer. */
export async function openedLinkOf(item: Record<string, unknown>): Promise<string> {
  const mail = { to: item.to as string, data: item.data as { link: string } };
  const sendId = linkSendId({ messageId: item.messageId as string, ref: item.ref as OutboxRef | undefined });
  return (await openMailLink(mail, sendId)).data.link;
}

/** The send a mail's link is sealed to: its ref's (a redrive moves the mail to a new item but keeps its ref), else its own item's. */
export function linkSendId(item: { messageId: string; ref?: OutboxRef | undefined }): string {
  return item.ref?.sendId ?? item.messageId;
}

/**
 * A queued outbox item (its link already sealed), in its org's queued-mail index partition
 * (keys.ts) until the mailer sends it (and deletes it) or SES refuses it for good (then `failed`, in the failed partition).
 */
export function outboxItem(
  message: MailMessage,
  now: Date,
  options: { messageId: string; ref?: OutboxRef | undefined; orgId?: string | undefined },
): Record<string, unknown> {
  const { messageId } = options;
  const orgId = options.ref?.orgId ?? options.orgId ?? null;
  const at = now.toISOString();
  return {
    ...outboxKey(messageId),
    ...outboxIndexKeys(orgId, 'queued', at, messageId),
    entity: OUTBOX_ENTITY,
    messageId,
    ...message,
    ...(options.ref ? { ref: options.ref } : {}),
    orgId,
    state: 'queued',
    createdAt: at,
    ttl: Math.floor(now.getTime() / 1000) + OUTBOX_RETENTION_SECONDS,
  };
}

/** The outbox item as stored now (strongly consistent); undefined once its mail went out (deleted) or its TTL ran. */
export async function readOutboxItem(db: Database, messageId: string): Promise<Record<string, unknown> | undefined> {
  const { Item } = await db.client.send(
    new GetCommand({ TableName: db.tableName, Key: outboxKey(messageId), ConsistentRead: true }),
  );
  return Item;
}

/** The outbox item of a mail SES accepted: gone, so a replayed stream record sends nothing. */
export async function deleteOutboxItem(db: Database, messageId: string): Promise<void> {
  await db.client.send(new DeleteCommand({ TableName: db.tableName, Key: outboxKey(messageId) }));
}

/**
 * The outbox item moved to `failed` (and its org's failed-mail index partition), kept for a
 * redrive until its TTL; false when it was gone meanwhile (its TTL): nothing left to redrive.
 */
export function markOutboxFailed(
  db: Database,
  item: { messageId: string; orgId: string | null },
  reason: string,
  at: Date,
): Promise<boolean> {
  const keys = outboxIndexKeys(item.orgId, 'failed', at.toISOString(), item.messageId);
  const [pkName, skName] = Object.keys(keys) as [string, string];
  return writeStep(
    db,
    // Only OUTBOX_FAILED_ATTRIBUTES, which the mailer's IAM grant allows (test/unit/mail/outbox-failed-mark.test.ts).
    update(db, {
      key: outboxKey(item.messageId),
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
