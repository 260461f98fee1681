import { auditStep, type AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { invitationKey, outboxKey, outboxStatePartition } from '../data/keys.js';
import { queryPage } from '../data/pagination.js';
import { check, put, remove, transactWrite } from '../data/transactions.js';
import { ConflictError } from '../errors.js';
import { newId } from '../ids.js';
import { memberMailStillCurrentStep } from './member-mail.js';
import { outboxItem, type MailMessage, type OutboxRef } from './outbox.js';

/** Queued mail this old was not sent by its stream record (dead-lettered past its retries, or lost): stale. */
export const STALE_AFTER_MS = 15 * 60_000;
/** Mails redriven per call; `more` says to call again. */
export const REDRIVE_LIMIT = 50;

export interface RedriveResult {
  /** Mails queued again (each a new outbox item: its insert drives the mailer). */
  redriven: number;
  /** Mails dropped: about an invitation no longer pending, or resent since (its link is dead), or a member's credential mail a later one superseded. */
  dropped: number;
  /** More failed or stale mail is waiting. */
  more: boolean;
}

const OUTBOX_INDEX = 'GSI1';

/**
 * Sends an org's failed mail (refused for good by SES, e.g. before the sender was verified) and
 * its stale queued mail again: each becomes a fresh outbox item, in one transaction with the old
 * item's delete and an audit event `mail.redriven`, so a mail is redriven once however often this
 * runs. A mail about an invitation is redriven only while that invitation is pending with that
 * very send (a ConditionCheck): a resent or finished invitation's old link is dead, so that mail
 * is dropped instead. Reads only the org's failed and queued-before-`now − STALE_AFTER_MS` index
 * ranges (keys.ts), at most REDRIVE_LIMIT items.
 */
export async function redriveOrgMail(db: Database, orgId: string, audit: AuditContext): Promise<RedriveResult> {
  const staleBefore = new Date(audit.now.getTime() - STALE_AFTER_MS).toISOString();
  const failed = await queryPage(db, {
    index: OUTBOX_INDEX,
    partition: outboxStatePartition(orgId, 'failed'),
    forward: true,
    limit: REDRIVE_LIMIT,
    cursor: undefined,
  });
  const room = REDRIVE_LIMIT - failed.items.length;
  const stale =
    room > 0
      ? await queryPage(db, {
          index: OUTBOX_INDEX,
          partition: outboxStatePartition(orgId, 'queued'),
          sortKey: { between: ['0', staleBefore] },
          forward: true,
          limit: room,
          cursor: undefined,
        })
      : { items: [], nextCursor: 'more' };
  const result: RedriveResult = {
    redriven: 0,
    dropped: 0,
    more: failed.nextCursor !== null || stale.nextCursor !== null,
  };
  for (const item of [...failed.items, ...stale.items]) {
    result[(await redriveOne(db, orgId, item, audit)) ? 'redriven' : 'dropped']++;
  }
  return result;
}

class SendMovedOnError extends ConflictError {
  constructor() {
    super(
      'The invitation is no longer pending with this send, or a later credential mail replaced this one',
      'send_moved_on',
    );
  }
}

/** One mail queued again (true), or dropped because its invitation moved on (false). Gone meanwhile: false. */
async function redriveOne(
  db: Database,
  orgId: string,
  item: Record<string, unknown>,
  audit: AuditContext,
): Promise<boolean> {
  const messageId = item.messageId as string;
  const ref = item.ref as OutboxRef | undefined;
  const message = { template: item.template, to: item.to, data: item.data } as MailMessage;
  const fresh = outboxItem(message, audit.now, { messageId: newId(), ref, orgId });
  const event = (action: string) =>
    auditStep(
      db,
      {
        orgId,
        action,
        target:
          ref?.kind === 'invitation'
            ? { type: 'invitation', id: ref.invitationId }
            : ref?.kind === 'member'
              ? { type: 'member', id: ref.userId }
              : { type: 'mail', id: messageId },
        after: { template: item.template, to: item.to, previousState: item.state, reason: item.failedReason ?? null },
      },
      audit,
    );
  const removeOld = remove(
    db,
    outboxKey(messageId),
    'attribute_exists(PK)',
    () => new ConflictError('Redriven meanwhile', 'mail_gone'),
  );
  const invitationCheck =
    ref?.kind === 'member'
      ? [memberMailStillCurrentStep(db, ref, () => new SendMovedOnError())]
      : ref
        ? [
            check(
              db,
              {
                key: invitationKey(ref.orgId, ref.invitationId),
                condition: '#status = :pending AND deliverySendId = :send',
                names: { '#status': 'status' },
                values: { ':pending': 'pending', ':send': ref.sendId },
              },
              () => new SendMovedOnError(),
            ),
          ]
        : [];
  try {
    await transactWrite(db, [
      removeOld,
      put(db, fresh, 'attribute_not_exists(PK)'),
      event('mail.redriven'),
      ...invitationCheck,
    ]);
    return true;
  } catch (error) {
    if (error instanceof ConflictError && error.code === 'mail_gone') return false;
    if (!(error instanceof SendMovedOnError)) throw error;
  }
  try {
    await transactWrite(db, [removeOld, event('mail.dropped')]);
  } catch (error) {
    if (!(error instanceof ConflictError && error.code === 'mail_gone')) throw error;
  }
  return false;
}
