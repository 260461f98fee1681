import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Database } from '../data/dynamo-client.js';
import { invitationIndexKeys, invitationKey, tokenKey } from '../data/keys.js';
import { queryPage, type Page } from '../data/pagination.js';
import { indexKeyAttributes, type IndexName } from '../data/table-definition.js';
import { put, type TransactionStep } from '../data/transactions.js';
import { ConcurrentModificationError, type DomainError } from '../errors.js';
import type { Invitation, InvitationStatus } from './invitation.js';
import { invalidToken, invitationExpired, invitationNotFound, invitationNotPending, invitationRevoked, invitationUsed } from './invitation-errors.js';

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
    tokenHash: item.tokenHash as string,
    acceptedBy: (item.acceptedBy as string | null | undefined) ?? null,
    version: Number(item.version ?? 0),
  };
}

export async function getInvitation(db: Database, orgId: string, invitationId: string): Promise<Invitation | undefined> {
  const { Item } = await db.client.send(new GetCommand({ TableName: db.tableName, Key: invitationKey(orgId, invitationId), ConsistentRead: true }));
  return Item ? invitationFromItem(Item) : undefined;
}

/** Why a pending-only change cannot apply to what the table now holds. */
export function notPendingError(current: Record<string, unknown> | undefined): DomainError {
  if (!current) return invitationNotFound();
  return current.status === 'pending' ? new ConcurrentModificationError() : invitationNotPending(String(current.status));
}

/** Why a token's invitation cannot be accepted: the answers a link holder may see. */
export function unusableError(invitation: Pick<Invitation, 'status' | 'expiresAt' | 'tokenHash'> | undefined, tokenHash: string, now: Date): DomainError | undefined {
  if (!invitation || invitation.tokenHash !== tokenHash) return invalidToken();
  if (invitation.status === 'accepted') return invitationUsed();
  if (invitation.status === 'revoked') return invitationRevoked();
  if (invitation.status === 'expired' || Date.parse(invitation.expiresAt) <= now.getTime()) return invitationExpired();
  return undefined;
}

/**
 * Writes the next version of an invitation that must still be pending at the version read:
 * the whole item is replaced, so its index keys follow its status (leaving pending drops the
 * sparse expiry key).
 */
export function pendingInvitationWriteStep(
  db: Database,
  next: Invitation,
  seenVersion: number,
  onConditionFailed: (current: Record<string, unknown> | undefined) => DomainError = notPendingError,
  extra?: { expression: string; values: Record<string, unknown> },
): TransactionStep {
  return put(
    db,
    invitationToItem({ ...next, version: seenVersion + 1 }),
    {
      expression: `#status = :pending AND version = :seen${extra ? ` AND ${extra.expression}` : ''}`,
      names: { '#status': 'status' },
      values: { ':pending': 'pending', ':seen': seenVersion, ...extra?.values },
    },
    onConditionFailed,
  );
}

/** The index partition a list reads, taken from the index keys an invitation item carries. */
function listPartition(index: IndexName, orgId: string, status: InvitationStatus): string {
  const keys = invitationIndexKeys({ orgId, invitationId: '', status, createdAt: '', expiresAt: '' });
  return keys[indexKeyAttributes(index).partitionKey] as string;
}

/** One page, newest first: by status on GSI1, all statuses on GSI2. */
export async function queryInvitations(db: Database, orgId: string, status: InvitationStatus | undefined, limit: number, cursor: string | undefined): Promise<Page<Invitation>> {
  const index: IndexName = status ? 'GSI1' : 'GSI2';
  const page = await queryPage(db, { index, partition: listPartition(index, orgId, status ?? 'pending'), forward: false, limit, cursor });
  return { items: page.items.map(invitationFromItem), nextCursor: page.nextCursor };
}

/** The token item of an invitation link (strongly consistent), if it is one. */
export async function getInvitationToken(db: Database, tokenHash: string): Promise<{ orgId: string; invitationId: string } | undefined> {
  const { Item } = await db.client.send(new GetCommand({ TableName: db.tableName, Key: tokenKey(tokenHash), ConsistentRead: true }));
  if (!Item || Item.kind !== 'invitation') return undefined;
  return { orgId: Item.orgId as string, invitationId: Item.invitationId as string };
}
