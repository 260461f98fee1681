import type { Database } from '../data/dynamo-client.js';
import { leaseIndexKeys, seatLeaseKey, seatLeaseUseKey } from '../data/keys.js';
import { put, remove, type TransactionStep } from '../data/transactions.js';
import type { DomainError } from '../errors.js';
import type { LeaseOwner, SeatLease } from './lease.js';

export const SEAT_LEASE_ENTITY = 'seatLease';
export const SEAT_LEASE_USE_ENTITY = 'seatLeaseUse';
/** A use item outlives any lease by far; the recount and the sweep read it only while its lease exists. */
const USE_RETENTION_SECONDS = 24 * 3600;

export function leaseToItem(lease: SeatLease): Record<string, unknown> {
  return {
    ...seatLeaseKey(lease.orgId, lease.leaseId),
    ...leaseIndexKeys(lease.deadline, 'invite', lease.orgId, lease.leaseId),
    entity: SEAT_LEASE_ENTITY,
    ...lease,
  };
}

export function leaseFromItem(item: Record<string, unknown>): SeatLease {
  return {
    orgId: item.orgId as string,
    leaseId: item.leaseId as string,
    granted: Number(item.granted),
    deadline: item.deadline as string,
    owner: item.owner as LeaseOwner,
    createdAt: item.createdAt as string,
  };
}

/** A new lease, as a step of the transaction that reserves its seats. */
export function leaseCreateStep(db: Database, lease: SeatLease): TransactionStep {
  return put(db, leaseToItem(lease), 'attribute_not_exists(PK)');
}

/** The step an invitation written on the lease adds to its transaction: one seat moves from the lease to it. */
export function leaseUseStep(db: Database, lease: SeatLease, email: string): TransactionStep {
  return put(
    db,
    {
      ...seatLeaseUseKey(lease.orgId, lease.leaseId, email),
      entity: SEAT_LEASE_USE_ENTITY,
      leaseId: lease.leaseId,
      ttl: Math.floor(Date.parse(lease.deadline) / 1000) + USE_RETENTION_SECONDS,
    },
    'attribute_not_exists(PK)',
  );
}

/** Deletes the lease, once: it must still exist with the deadline it was read with, else `gone`. */
export function leaseEndStep(
  db: Database,
  lease: Pick<SeatLease, 'orgId' | 'leaseId' | 'deadline'>,
  gone: () => DomainError,
): TransactionStep {
  return remove(
    db,
    seatLeaseKey(lease.orgId, lease.leaseId),
    { expression: 'attribute_exists(PK) AND deadline = :deadline', values: { ':deadline': lease.deadline } },
    gone,
  );
}
