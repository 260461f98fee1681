import type { Database } from '../data/dynamo-client.js';
import { memberMailKey } from '../data/keys.js';
import { writeStep } from '../data/conditional-write.js';
import { check, put, update, type TransactionStep } from '../data/transactions.js';
import { newId } from '../ids.js';
import type { DomainError } from '../errors.js';
import { outboxStep, type MailMessage, type MemberMailRef } from './outbox.js';

export type { MemberMailRef };

export const MEMBER_MAIL_ENTITY = 'memberMail';

/** The credential mails an admin's action (or the member's own request) sends to a member. */
export type MemberMailKind = Extract<
  MailMessage['template'],
  'password_reset' | 'password_setup' | 'email_confirmation'
>;

/** The last credential mail sent to a member of an org, as the member's detail shows it. */
export interface MemberMailState {
  kind: MemberMailKind;
  state: 'queued' | 'sent' | 'failed';
  /** SES's reason when failed, else null. */
  reason: string | null;
  /** When it was queued, then when it was sent or failed. */
  at: string;
}

/**
 * A credential mail as steps of the caller's transaction: the outbox item, and the member's
 * mail state reset to `queued` for this send (the latest mail is the one the admin cares
 * about; an older send's late report is ignored by its sendId). The state uses the delivery
 * attribute names the mailer may write (the same as an invitation's).
 */
export async function memberMailSteps(
  db: Database,
  message: MailMessage & { template: MemberMailKind },
  now: Date,
  member: { orgId: string; userId: string },
): Promise<TransactionStep[]> {
  const sendId = newId();
  const ref: MemberMailRef = { kind: 'member', orgId: member.orgId, userId: member.userId, sendId };
  return [
    await outboxStep(db, message, now, { messageId: sendId, ref }),
    put(db, {
      ...memberMailKey(member.orgId, member.userId),
      entity: MEMBER_MAIL_ENTITY,
      mail: message.template,
      delivery: 'queued',
      deliveryAt: now.toISOString(),
      deliveryError: null,
      deliverySendId: sendId,
    }),
  ];
}

/**
 * The mailer's record of one credential send: only for the send the state still expects (a
 * later mail started a new one), and never over a `sent`. False when superseded or gone.
 */
export function recordMemberMailDelivery(
  db: Database,
  ref: MemberMailRef,
  outcome: { state: 'sent' } | { state: 'failed'; reason: string },
  now: Date,
): Promise<boolean> {
  return writeStep(
    db,
    update(db, {
      key: memberMailKey(ref.orgId, ref.userId),
      updateExpression: 'SET delivery = :state, deliveryAt = :now, deliveryError = :reason',
      condition: 'deliverySendId = :send AND delivery <> :sent',
      values: {
        ':state': outcome.state,
        ':now': now.toISOString(),
        ':reason': outcome.state === 'failed' ? outcome.reason : null,
        ':send': ref.sendId,
        ':sent': 'sent',
      },
    }),
  );
}

/** A redrive's check that this send is still the member's latest credential mail. */
export function memberMailStillCurrentStep(
  db: Database,
  ref: MemberMailRef,
  onConditionFailed: () => DomainError,
): TransactionStep {
  return check(
    db,
    { key: memberMailKey(ref.orgId, ref.userId), condition: 'deliverySendId = :send', values: { ':send': ref.sendId } },
    onConditionFailed,
  );
}

/** The member's mail state from its item (BatchGet with the membership), null when none was sent. */
export function memberMailFromItem(item: Record<string, unknown> | undefined): MemberMailState | null {
  if (!item) return null;
  return {
    kind: item.mail as MemberMailKind,
    state: item.delivery as MemberMailState['state'],
    reason: (item.deliveryError as string | null | undefined) ?? null,
    at: item.deliveryAt as string,
  };
}
