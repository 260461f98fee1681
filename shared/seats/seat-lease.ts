import type { Database } from '../data/dynamo-client.js';
import { transactWrite, update, type TransactionStep } from '../data/transactions.js';
import { ConcurrentModificationError, ConflictError, NotFoundError } from '../errors.js';
import { newId } from '../ids.js';
import { seatsToGrant } from './seat-rules.js';
import { seatReleaseStep, seatReservationUpdate, type SeatReservation } from '../members/seat-reservation.js';
import { leaseCreateStep, leaseEndStep } from './seat-lease-repository.js';
import type { LeaseOwner, SeatLease } from './lease.js';

/**
 * A bulk invite's seats, reserved in one update of the org item, are held by a lease item
 * written in the same transaction: its owner (the request), how many seats it was granted, and
 * its deadline. Each invitation written on the lease records one "use" in its own transaction,
 * so at any instant seats held = granted − uses, exactly, whatever crashed when. The owner
 * releases the rest when it is done; if it dies first (a Lambda timeout skips `finally`), the
 * seat sweeper releases them after the deadline (shared/seats/sweep-seat-leases.ts).
 *
 * The deadline is time-based because the owner is an API function: API Gateway gives up after
 * 30 s and every API function times out by then, so LEASE_SECONDS after the reservation the
 * owner cannot write any more; the owner itself stops starting writes OWNER_MARGIN_MS before.
 */
export const LEASE_SECONDS = 60;
export const OWNER_MARGIN_MS = 20_000;
const RESERVATION_ATTEMPTS = 8;

export interface LeasedReservation extends SeatReservation {
  /** Undefined when nothing was granted (no lease is written then). */
  lease: SeatLease | undefined;
}

/** Thrown inside a reservation transaction when the org's counters moved since they were read (leases and import batches). */
export class SeatsMovedError extends ConflictError {
  constructor(readonly current: Record<string, unknown> | undefined) {
    super('The seat counter moved; re-plan the reservation', 'seats_moved');
  }
}

/**
 * Reserves up to `wanted` seats as reserveSeats does (all when free, else as many as are free),
 * with the lease that holds them put in the same transaction: a reservation never exists
 * without the record of its owner and deadline.
 */
export async function reserveLeasedSeats(
  db: Database,
  orgId: string,
  wanted: number,
  maxSeatsSeen: number,
  owner: LeaseOwner,
  now: Date,
): Promise<LeasedReservation> {
  let maxSeats = maxSeatsSeen;
  let ask = wanted;
  for (let attempt = 1; attempt <= RESERVATION_ATTEMPTS; attempt++) {
    if (ask <= 0) return { granted: 0, maxSeats, lease: undefined };
    const lease: SeatLease = {
      orgId,
      leaseId: newId(),
      granted: ask,
      deadline: new Date(now.getTime() + LEASE_SECONDS * 1000).toISOString(),
      owner,
      createdAt: now.toISOString(),
    };
    try {
      await transactWrite(db, [
        leaseCreateStep(db, lease),
        update(db, seatReservationUpdate(orgId, ask, maxSeats), (current) => new SeatsMovedError(current)),
      ]);
      return { granted: ask, maxSeats, lease };
    } catch (error) {
      if (!(error instanceof SeatsMovedError)) throw error;
      if (!error.current) throw new NotFoundError('No such organization');
      maxSeats = Number(error.current.maxSeats);
      ask = seatsToGrant({ maxSeats, seatsUsed: Number(error.current.seatsUsed) }, wanted);
    }
  }
  throw new ConcurrentModificationError();
}

/** True while the owner may still start writes on the lease (the sweeper waits for the deadline itself). */
export const ownerMayWrite = (lease: SeatLease, now: number): boolean =>
  now < Date.parse(lease.deadline) - OWNER_MARGIN_MS;

/**
 * Ends the lease, giving back `unused` seats, in one transaction; the lease's condition makes it
 * once only (the owner at the end, or the sweeper after the deadline, whichever comes first).
 * False when the lease was already ended.
 */
export async function endLease(
  db: Database,
  lease: Pick<SeatLease, 'orgId' | 'leaseId' | 'deadline'>,
  unused: number,
  extra: TransactionStep[] = [],
): Promise<boolean> {
  const gone = () => new ConflictError('The lease was already ended', 'lease_ended');
  const steps: TransactionStep[] = [leaseEndStep(db, lease, gone), ...extra];
  if (unused > 0) {
    steps.push(seatReleaseStep(db, lease.orgId, unused));
  }
  try {
    await transactWrite(db, steps);
    return true;
  } catch (error) {
    if (error instanceof ConflictError && error.code === 'lease_ended') return false;
    throw error;
  }
}
