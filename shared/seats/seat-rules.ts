import { ConcurrentModificationError, LastAdminError, NotFoundError, SeatLimitReachedError } from '../errors.js';
import type { DomainError } from '../errors.js';

/**
 * The org's counter rules as plain arithmetic: seats (seatsUsed never above maxSeats) and the
 * last admin (an org keeps at least one active admin). The table's conditions enforce them
 * under concurrency; these decide what to ask for and explain a refusal.
 */

/** The org item's counters these rules read (as read, or as a failed condition returns them). */
export interface OrgCounters {
  maxSeats: number;
  seatsUsed: number;
  activeAdminCount: number;
}

/** Seats still free; never negative (an operator may lower maxSeats below the seats in use). */
export const freeSeats = (org: Pick<OrgCounters, 'maxSeats' | 'seatsUsed'>): number =>
  Math.max(0, org.maxSeats - org.seatsUsed);

/** Seats a batch that wants `wanted` of them gets: as many as are free, at most what it wants. */
export const seatsToGrant = (org: Pick<OrgCounters, 'maxSeats' | 'seatsUsed'>, wanted: number): number =>
  Math.max(0, Math.min(wanted, org.maxSeats - org.seatsUsed));

/** Whether an org with `activeAdmins` active admins still has one after a change moving them by `delta`. */
export const keepsAnAdmin = (activeAdmins: number, delta: number): boolean => activeAdmins + delta >= 1;

/**
 * Why a change moving the counters by `delta` was refused, given the org item as the failed
 * condition found it: gone, no seat left, the last admin, or (the numbers allow it) a
 * concurrent change of the item.
 */
export function counterChangeRefusal(
  current: Record<string, unknown> | undefined,
  delta: { seats: number; admins: number },
): DomainError {
  if (!current) return new NotFoundError('No such organization');
  const maxSeats = Number(current.maxSeats);
  if (delta.seats > 0 && Number(current.seatsUsed) + delta.seats > maxSeats) return new SeatLimitReachedError(maxSeats);
  if (delta.admins < 0 && !keepsAnAdmin(Number(current.activeAdminCount), delta.admins)) return new LastAdminError();
  return new ConcurrentModificationError();
}
