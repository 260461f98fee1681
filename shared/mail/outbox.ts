import { outboxIndexKeys, outboxKey } from '../data/keys.js';
import type { Database } from '../data/dynamo-client.js';
import { put, type TransactionStep } from '../data/transactions.js';
import { newId } from '../ids.js';

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

/** What a mail is about, so the mailer can record its outcome there (an invitation's current send). */
export type OutboxRef = { kind: 'invitation'; orgId: string; invitationId: string; sendId: string };

export const OUTBOX_ENTITY = 'outbox';
/** Outbox items outlive any retry schedule, then DynamoDB's TTL removes them. */
const OUTBOX_RETENTION_SECONDS = 7 * 24 * 3600;

/**
 * The mail as one step of the change's own transaction (transactional outbox): the change and
 * its mail are written together; the table stream drives the mailer, which retries.
 */
export function outboxStep(
  db: Database,
  message: MailMessage,
  now: Date,
  options: { messageId?: string; ref?: OutboxRef; orgId?: string } = {},
): TransactionStep {
  return put(db, outboxItem(message, now, { ...options, messageId: options.messageId ?? newId() }));
}

/**
 * A queued outbox item, in its org's queued-mail index partition (keys.ts) until the mailer
 * sends it (and deletes it) or SES refuses it for good (then `failed`, in the failed partition).
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
