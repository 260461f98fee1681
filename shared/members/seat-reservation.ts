import type { Database } from '../data/dynamo-client.js';
import { orgKey } from '../data/keys.js';
import { update, type TransactionStep } from '../data/transactions.js';
import { ConcurrentModificationError, NotFoundError } from '../errors.js';
import { roleHolderClauses, type CounterDelta } from './membership-steps.js';

/**
 * Seats for a whole batch (bulk invite, import) are reserved in ONE conditional update of the
 * org item instead of one per row: per-row transactions on the org's hot item serialize and
 * fail with TransactionConflict under load. DynamoDB conditions cannot add, so
 * "seatsUsed + k <= maxSeats" is written as "maxSeats = :max AND seatsUsed <= :max - k" with
 * the maxSeats the caller saw; if maxSeats changed meanwhile the reservation is re-planned.
 */

/**
 * The update that takes `ask` seats while they are free, as a step of the transaction that
 * records the grant: a bulk invite's lease (shared/seats/seat-lease.ts) or an import's batch marker.
 */
export function seatReservationUpdate(orgId: string, ask: number, maxSeatsSeen: number) {
  return {
    key: orgKey(orgId),
    updateExpression: 'SET seatsUsed = seatsUsed + :k',
    condition: 'attribute_exists(PK) AND maxSeats = :max AND seatsUsed <= :limit',
    values: { ':k': ask, ':max': maxSeatsSeen, ':limit': maxSeatsSeen - ask },
  };
}

/** Gives `count` seats back to the org (never below zero), as a step: a lease's unused seats. */
export function seatReleaseStep(db: Database, orgId: string, count: number): TransactionStep {
  return update(db, {
    key: orgKey(orgId),
    updateExpression: 'SET seatsUsed = seatsUsed - :k',
    condition: 'attribute_exists(PK) AND seatsUsed >= :k',
    values: { ':k': count },
  });
}

export interface SeatReservation {
  /** Seats now held for the caller (0..wanted); the caller releases what it does not use. */
  granted: number;
  /** maxSeats as the reservation saw it, for the caller's messages ("Seat limit reached (N)"). */
  maxSeats: number;
}

/**
 * Moves the org's counters by `delta` without a seat-limit condition: for settling a batch
 * whose seats were reserved up front (negative seats release what the batch did not use,
 * members/admins record what it created). Join it to the transaction that marks the batch
 * settled, so a replayed batch cannot settle twice.
 */
export function settleReservationStep(db: Database, orgId: string, delta: CounterDelta): TransactionStep {
  // Custom roles' holders reserved with the seats and not taken are given back (never added here).
  const roles = Object.entries(delta.roles ?? {}).filter(([, d]) => d.holders !== 0);
  if (roles.some(([, d]) => d.holders > 0)) throw new Error('A settle gives reserved role holders back; it never adds');
  const holders = roleHolderClauses(roles);
  return update(
    db,
    {
      key: orgKey(orgId),
      updateExpression: [
        'SET seatsUsed = seatsUsed + :s, activeAdminCount = activeAdminCount + :a, memberCount = memberCount + :m',
        ...holders.sets,
      ].join(', '),
      // Releasing more seats than are held would be a bookkeeping bug, never a user error.
      condition: 'attribute_exists(PK) AND seatsUsed >= :release',
      ...(roles.length > 0 ? { names: holders.names } : {}),
      values: {
        ':s': delta.seats,
        ':a': delta.admins,
        ':m': delta.members,
        ':release': Math.max(0, -delta.seats),
        ...holders.values,
      },
    },
    (current) => (current ? new ConcurrentModificationError() : new NotFoundError('No such organization')),
  );
}
