import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Database } from '../data/dynamo-client.js';
import { orgKey } from '../data/keys.js';
import { update, type TransactionStep } from '../data/transactions.js';
import { ConcurrentModificationError, NotFoundError } from '../errors.js';
import type { CounterDelta } from './membership-steps.js';

/**
 * Seats for a whole batch (bulk invite, import) are reserved in ONE conditional update of the
 * org item instead of one per row: per-row transactions on the org's hot item serialize and
 * fail with TransactionConflict under load. DynamoDB conditions cannot add, so
 * "seatsUsed + k <= maxSeats" is written as "maxSeats = :max AND seatsUsed <= :max - k" with
 * the maxSeats the caller saw; if maxSeats changed meanwhile the reservation is re-planned.
 */

/** Attempts before giving up when other writers keep moving the counter between our tries. */
const RESERVATION_ATTEMPTS = 8;

/**
 * The update that takes `ask` seats while they are free: for an UpdateItem of its own
 * (reserveSeats) or as a step of a transaction that records the grant (the import's batch marker).
 */
export function seatReservationUpdate(orgId: string, ask: number, maxSeatsSeen: number) {
  return {
    key: orgKey(orgId),
    updateExpression: 'SET seatsUsed = seatsUsed + :k',
    condition: 'attribute_exists(PK) AND maxSeats = :max AND seatsUsed <= :limit',
    values: { ':k': ask, ':max': maxSeatsSeen, ':limit': maxSeatsSeen - ask },
  };
}

export interface SeatReservation {
  /** Seats now held for the caller (0..wanted); the caller releases what it does not use. */
  granted: number;
  /** maxSeats as the reservation saw it, for the caller's messages ("Seat limit reached (N)"). */
  maxSeats: number;
}

/**
 * Reserves up to `wanted` seats: all of them when they are free, otherwise as many as are
 * free at that moment (possibly 0). One UpdateItem when the seats are free; on a refusal the
 * org item comes back with the failure (ReturnValuesOnConditionCheckFailure), so a partial
 * grant costs one more UpdateItem, not a read.
 */
export async function reserveSeats(db: Database, orgId: string, wanted: number, maxSeatsSeen: number): Promise<SeatReservation> {
  if (!Number.isInteger(wanted) || wanted < 0) throw new Error(`reserveSeats: wanted must be a non-negative integer, got ${wanted}`);
  let maxSeats = maxSeatsSeen;
  let ask = wanted;
  for (let attempt = 1; attempt <= RESERVATION_ATTEMPTS; attempt++) {
    if (ask <= 0) return { granted: 0, maxSeats };
    try {
      const reservation = seatReservationUpdate(orgId, ask, maxSeats);
      await db.client.send(
        new UpdateCommand({
          TableName: db.tableName,
          Key: reservation.key,
          UpdateExpression: reservation.updateExpression,
          ConditionExpression: reservation.condition,
          ExpressionAttributeValues: reservation.values,
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { granted: ask, maxSeats };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      if (!error.Item) throw new NotFoundError('No such organization');
      const current = unmarshall(error.Item);
      maxSeats = Number(current.maxSeats);
      ask = Math.min(wanted, maxSeats - Number(current.seatsUsed));
    }
  }
  throw new ConcurrentModificationError();
}

/**
 * Moves the org's counters by `delta` without a seat-limit condition: for settling a batch
 * whose seats were reserved up front (negative seats release what the batch did not use,
 * members/admins record what it created). Join it to the transaction that marks the batch
 * settled, so a replayed batch cannot settle twice.
 */
export function settleReservationStep(db: Database, orgId: string, delta: CounterDelta): TransactionStep {
  return update(
    db,
    {
      key: orgKey(orgId),
      updateExpression: 'SET seatsUsed = seatsUsed + :s, activeAdminCount = activeAdminCount + :a, memberCount = memberCount + :m',
      // Releasing more seats than are held would be a bookkeeping bug, never a user error.
      condition: 'attribute_exists(PK) AND seatsUsed >= :release',
      values: { ':s': delta.seats, ':a': delta.admins, ':m': delta.members, ':release': Math.max(0, -delta.seats) },
    },
    (current) => (current ? new ConcurrentModificationError() : new NotFoundError('No such organization')),
  );
}

/** Returns `count` reserved-but-unused seats in one UpdateItem (outside any transaction). */
export async function releaseSeats(db: Database, orgId: string, count: number): Promise<void> {
  if (count <= 0) return;
  await db.client.send(
    new UpdateCommand({
      TableName: db.tableName,
      Key: orgKey(orgId),
      UpdateExpression: 'SET seatsUsed = seatsUsed - :k',
      ConditionExpression: 'attribute_exists(PK) AND seatsUsed >= :k',
      ExpressionAttributeValues: { ':k': count },
    }),
  );
}
