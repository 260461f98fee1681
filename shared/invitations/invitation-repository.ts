import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { writeStep } from '../data/conditional-write.js';
import type { Database } from '../data/dynamo-client.js';
import { invitationIndexKeys, invitationKey, tokenKey } from '../data/keys.js';
import { queryPage, type Page } from '../data/pagination.js';
import { indexKeyAttributes, type IndexName } from '../data/table-definition.js';
import { update, type TransactionStep } from '../data/transactions.js';
import { ConcurrentModificationError, type DomainError } from '../errors.js';
import { DELIVERY_ATTRIBUTES, type Invitation, type InvitationStatus } from './invitation.js';
import {
  invalidToken,
  invitationExpired,
  invitationNotFound,
  invitationNotPending,
  invitationRevoked,
  invitationUsed,
} from './invitation-errors.js';

export const INVITATION_ENTITY = 'invitation';

/** The item, with the index keys its status calls for (the expiry index only while pending). */
export function invitationToItem(i: Invitation): Record<string, unknown> {
  return { ...invitationKey(i.orgId, i.invitationId), ...invitationIndexKeys(i), entity: INVITATION_ENTITY, ...i };
}

export function invitationFromItem(item: Record<string, unknown>): Invitation {
  return {
    orgId: item.orgId as string,
    invitationId: item.invitationId as string,
    email: item.email as string,
    role: item.role as Invitation['role'],
    teamId: (item.teamId as string | null | undefined) ?? null,
    message: (item.message as string | null | undefined) ?? null,
    status: item.status as InvitationStatus,
    invitedBy: item.invitedBy as Invitation['invitedBy'],
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
    expiresAt: item.expiresAt as string,
    delivery: (item.delivery as Invitation['delivery'] | undefined) ?? 'queued',
    deliveryAt: (item.deliveryAt as string | null | undefined) ?? null,
    deliveryError: (item.deliveryError as string | null | undefined) ?? null,
    deliverySendId: (item.deliverySendId as string | null | undefined) ?? null,
    tokenHash: item.tokenHash as string,
    acceptedBy: (item.acceptedBy as string | null | undefined) ?? null,
    version: Number(item.version ?? 0),
  };
}

export async function getInvitation(
  db: Database,
  orgId: string,
  invitationId: string,
): Promise<Invitation | undefined> {
  const { Item } = await db.client.send(
    new GetCommand({ TableName: db.tableName, Key: invitationKey(orgId, invitationId), ConsistentRead: true }),
  );
  return Item ? invitationFromItem(Item) : undefined;
}

/** Why a pending-only change cannot apply to what the table now holds. */
export function notPendingError(current: Record<string, unknown> | undefined): DomainError {
  if (!current) return invitationNotFound();
  return current.status === 'pending'
    ? new ConcurrentModificationError()
    : invitationNotPending(String(current.status));
}

/** Why a token's invitation cannot be accepted: the answers a link holder may see. */
export function unusableError(
  invitation: Pick<Invitation, 'status' | 'expiresAt' | 'tokenHash'> | undefined,
  tokenHash: string,
  now: Date,
): DomainError | undefined {
  if (!invitation || invitation.tokenHash !== tokenHash) return invalidToken();
  if (invitation.status === 'accepted') return invitationUsed();
  if (invitation.status === 'revoked') return invitationRevoked();
  if (invitation.status === 'expired' || Date.parse(invitation.expiresAt) <= now.getTime()) return invitationExpired();
  return undefined;
}

/** The mailer's fields: only a send's own outcome (or a resend, which starts a new send) writes them. */
const DELIVERY_FIELDS: ReadonlySet<string> = new Set(DELIVERY_ATTRIBUTES);

/** Index attributes an invitation may carry; those its next status does not call for are removed. */
const INVITATION_INDEX_ATTRIBUTES = (['GSI1', 'GSI2', 'GSI3'] as const).flatMap((index) =>
  Object.values(indexKeyAttributes(index)),
);

/**
 * Writes the next version of an invitation that must still be pending at the version read.
 * An UpdateItem rather than a whole-item Put: it sets every attribute of `next` and its index
 * keys (leaving pending drops the sparse expiry key), but leaves the delivery fields alone
 * unless `delivery` is true (a resend), so a revoke or an expiry never overwrites the outcome
 * the mailer recorded meanwhile (the mailer does not bump the version; see recordDeliveryStep).
 */
export function pendingInvitationWriteStep(
  db: Database,
  next: Invitation,
  seenVersion: number,
  onConditionFailed: (current: Record<string, unknown> | undefined) => DomainError = notPendingError,
  extra?: { expression: string; values: Record<string, unknown> },
  options: { delivery?: boolean } = {},
): TransactionStep {
  const item = invitationToItem({ ...next, version: seenVersion + 1 });
  const names: Record<string, string> = { '#status': 'status' };
  const values: Record<string, unknown> = { ':pending': 'pending', ':seen': seenVersion, ...extra?.values };
  const sets: string[] = [];
  Object.entries(item).forEach(([name, value], n) => {
    if (name === 'PK' || name === 'SK' || (!options.delivery && DELIVERY_FIELDS.has(name))) return;
    names[`#a${n}`] = name;
    values[`:a${n}`] = value;
    sets.push(`#a${n} = :a${n}`);
  });
  const removed = INVITATION_INDEX_ATTRIBUTES.filter((name) => !(name in item));
  return update(
    db,
    {
      key: invitationKey(next.orgId, next.invitationId),
      updateExpression: `SET ${sets.join(', ')}${removed.length > 0 ? ` REMOVE ${removed.join(', ')}` : ''}`,
      condition: `#status = :pending AND version = :seen${extra ? ` AND ${extra.expression}` : ''}`,
      names,
      values,
    },
    onConditionFailed,
  );
}

/**
 * Accepts the pending invitation a token stands for without reading it first: the token item
 * names it, and the condition (still pending, still this token, not yet expired) is the check.
 * Index keys follow the status: GSI1 moves to the accepted partition, the expiry key goes.
 */
export function acceptInvitationStep(
  db: Database,
  target: { orgId: string; invitationId: string; tokenHash: string; acceptedBy: string },
  now: Date,
  onConditionFailed: (current: Record<string, unknown> | undefined) => DomainError,
): TransactionStep {
  const gsi1 = indexKeyAttributes('GSI1').partitionKey;
  const expiry = indexKeyAttributes('GSI3');
  return update(
    db,
    {
      key: invitationKey(target.orgId, target.invitationId),
      updateExpression: `SET #status = :accepted, acceptedBy = :by, updatedAt = :now, version = version + :one, ${gsi1} = :list REMOVE ${expiry.partitionKey}, ${expiry.sortKey}`,
      condition: '#status = :pending AND tokenHash = :hash AND expiresAt > :now',
      names: { '#status': 'status' },
      values: {
        ':accepted': 'accepted',
        ':pending': 'pending',
        ':by': target.acceptedBy,
        ':now': now.toISOString(),
        ':one': 1,
        ':hash': target.tokenHash,
        ':list': listPartition('GSI1', target.orgId, 'accepted'),
      },
    },
    onConditionFailed,
  );
}

/** How a send ended, as the mailer records it on the invitation. */
export type DeliveryOutcome = { state: 'sent' } | { state: 'failed'; reason: string };

/**
 * The mailer's record of one send: only while the invitation is pending, only for the send it
 * still expects (a resend started a new one), and never over a `sent` (a late failure report
 * of a mail that went out). Outside the version: it must not make an admin's concurrent
 * revoke or resend fail, and their writes leave these fields alone (pendingInvitationWriteStep).
 */
export async function recordDelivery(
  db: Database,
  ref: { orgId: string; invitationId: string; sendId: string },
  outcome: DeliveryOutcome,
  now: Date,
): Promise<boolean> {
  // False: no longer pending, superseded by a resend, already recorded as sent, or gone: nothing to record.
  return writeStep(
    db,
    update(db, {
      key: invitationKey(ref.orgId, ref.invitationId),
      updateExpression: 'SET delivery = :state, deliveryAt = :now, deliveryError = :reason',
      condition: '#status = :pending AND deliverySendId = :send AND delivery <> :sent',
      names: { '#status': 'status' },
      values: {
        ':state': outcome.state,
        ':now': now.toISOString(),
        ':reason': outcome.state === 'failed' ? outcome.reason : null,
        ':pending': 'pending',
        ':send': ref.sendId,
        ':sent': 'sent',
      },
    }),
  );
}

/** The index partition a list reads, taken from the index keys an invitation item carries. */
function listPartition(index: IndexName, orgId: string, status: InvitationStatus): string {
  const keys = invitationIndexKeys({ orgId, invitationId: '', status, createdAt: '', expiresAt: '' });
  return keys[indexKeyAttributes(index).partitionKey] as string;
}

/** One page, newest first: by status on GSI1, all statuses on GSI2. */
export async function queryInvitations(
  db: Database,
  orgId: string,
  status: InvitationStatus | undefined,
  limit: number,
  cursor: string | undefined,
): Promise<Page<Invitation>> {
  const index: IndexName = status ? 'GSI1' : 'GSI2';
  const page = await queryPage(db, {
    index,
    partition: listPartition(index, orgId, status ?? 'pending'),
    forward: false,
    limit,
    cursor,
  });
  return { items: page.items.map(invitationFromItem), nextCursor: page.nextCursor };
}

/** What an invitation link's token item says: enough to accept without reading the invitation. */
export interface InvitationTokenItem {
  orgId: string;
  invitationId: string;
  /** Absent on token items written before accept read them (then accept reads the invitation). */
  email?: string;
  role?: Invitation['role'];
  teamId?: string | null;
  expiresAt?: string;
  usedAt?: string;
  revokedAt?: string;
}

export function invitationTokenFromItem(item: Record<string, unknown> | undefined): InvitationTokenItem | undefined {
  if (!item || item.kind !== 'invitation') return undefined;
  const text = (name: string) => (typeof item[name] === 'string' ? { [name]: item[name] as string } : {});
  return {
    orgId: item.orgId as string,
    invitationId: item.invitationId as string,
    ...text('email'),
    ...(typeof item.role === 'string' ? { role: item.role as Invitation['role'] } : {}),
    ...('teamId' in item ? { teamId: (item.teamId as string | null) ?? null } : {}),
    ...text('expiresAt'),
    ...text('usedAt'),
    ...text('revokedAt'),
  };
}

/** The token item of an invitation link (strongly consistent), if it is one. */
export async function getInvitationToken(db: Database, tokenHash: string): Promise<InvitationTokenItem | undefined> {
  const { Item } = await db.client.send(
    new GetCommand({ TableName: db.tableName, Key: tokenKey(tokenHash), ConsistentRead: true }),
  );
  return invitationTokenFromItem(Item);
}
