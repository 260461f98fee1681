import { leaseIndexAttributes, leaseIndexKeys } from '../data/keys.js';

/**
 * An import in flight (queued, running, or being ended by the sweeper) holds a lease: its
 * `leaseUntil`, mirrored in the sparse sweep index (GSI3, keys.ts). The worker renews it at
 * every batch for the rest of its invocation plus a grace, so the lease outlives the
 * invocation; a queued import gets PICKUP_MS for a worker to claim it. Past its lease the
 * import's worker is dead (a crash, a timeout, a batch that failed past its retries into the
 * dead-letter queue, a lost stream record), and the seat sweeper resumes, cancels or fails it
 * (shared/imports/recover-import.ts).
 */

/** The import worker's function timeout (infra/constructs/import-worker.ts). */
export const WORKER_TIMEOUT_MS = 15 * 60_000;
/** After the invocation's end: a transaction sent just before the end lands well within this. */
export const LEASE_GRACE_MS = 60_000;
/** For a queued import to be claimed by a worker (the stream delivers in seconds, retries take minutes). */
export const PICKUP_MS = 10 * 60_000;

export const pickupLeaseUntil = (now: number): Date => new Date(now + PICKUP_MS);

const gsi = leaseIndexAttributes;
export const LEASE_NAMES = { '#lpk': gsi.partitionKey, '#lsk': gsi.sortKey };
/** An UpdateExpression SET clause (no `SET`) writing the lease; its values come from leaseValues. */
export const LEASE_SET = 'leaseUntil = :leaseUntil, #lpk = :lpk, #lsk = :lsk';
/** A REMOVE clause ending the lease (the import leaves the sweep index). */
export const LEASE_REMOVE = 'REMOVE leaseUntil, #lpk, #lsk';

export function leaseValues(orgId: string, importId: string, until: Date): Record<string, string> {
  const leaseUntil = until.toISOString();
  const keys = leaseIndexKeys(leaseUntil, 'import', orgId, importId);
  return { ':leaseUntil': leaseUntil, ':lpk': keys[gsi.partitionKey]!, ':lsk': keys[gsi.sortKey]! };
}
