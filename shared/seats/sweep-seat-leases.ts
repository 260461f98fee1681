import { auditStep, type AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { leaseIndexKeys, ORG_PARTITION_PREFIX, orgPartition, seatLeaseKey, type LeaseKind } from '../data/keys.js';
import { queryPage, queryWholePartition } from '../data/pagination.js';
import { indexKeyAttributes, type IndexName } from '../data/table-definition.js';
import { recoverImport, SWEEPER_ACTOR, type RecoveryOutcome } from '../imports/recover-import.js';
import type { SeatLease } from './lease.js';
import { endLease } from './seat-lease.js';
import { leaseFromItem, SEAT_LEASE_ENTITY, SEAT_LEASE_USE_ENTITY } from './seat-lease-repository.js';

/** The sparse index of leases by deadline (see keys.ts). */
export const LEASE_INDEX: IndexName = 'GSI3';
export const LEASE_PAGE_SIZE = 25;

export { SWEEPER_ACTOR };

export interface SweepSummary {
  /** Overdue index entries read. */
  scanned: number;
  /** Bulk-invite leases ended, and the seats they still held given back. */
  leasesReleased: number;
  seatsReleased: number;
  /** Imports whose worker died: re-queued, cancelled, failed. */
  importsResumed: number;
  importsCancelled: number;
  importsFailed: number;
  /** Entries another actor had dealt with first. */
  skipped: number;
  /** Entries whose handling failed (logged; the next run retries them). */
  failed: number;
}

export interface SweepOptions {
  pageSize?: number;
  maxResumes?: number;
  shouldStop?: () => boolean;
  onFailure?: (entry: { kind: string; orgId: string; id: string }, error: unknown) => void;
}

/** The GSI3 partition and inclusive sort-key range of every lease due at or before `now`. */
export function overdueLeaseRange(now: Date): { partition: string; between: [string, string] } {
  const keys = leaseIndexKeys(now.toISOString(), 'import', '~', '');
  const names = indexKeyAttributes(LEASE_INDEX);
  const sk = keys[names.sortKey] as string;
  // `now#~` sorts after every `now#kind#…` entry.
  return { partition: keys[names.partitionKey] as string, between: ['0', `${sk.slice(0, sk.indexOf('#'))}#~`] };
}

/**
 * The scheduled seat sweep: releases what dead owners held. It Queries only the overdue range
 * of the sparse lease index (cost grows with the overdue leases, never with the table), and
 * each entry leaves the index in the transaction that deals with it:
 * - a bulk invite's lease (its request died before giving back unused seats): the seats not
 *   turned into invitations go back (granted − uses), with a `seats.released` audit event;
 * - an import whose worker died (recoverImport): re-queued, or cancelled or failed with the
 *   batch in hand settled from its rows' done-markers.
 * Invariant: one sweep period after an owner's deadline, seatsUsed = active members + pending
 * invitations + the seats live leases hold.
 */
export async function sweepSeatLeases(
  db: Database,
  audit: AuditContext,
  options: SweepOptions = {},
): Promise<SweepSummary> {
  const range = overdueLeaseRange(audit.now);
  const summary: SweepSummary = {
    scanned: 0,
    leasesReleased: 0,
    seatsReleased: 0,
    importsResumed: 0,
    importsCancelled: 0,
    importsFailed: 0,
    skipped: 0,
    failed: 0,
  };
  let cursor: string | undefined;
  do {
    const page = await queryPage(db, {
      index: LEASE_INDEX,
      partition: range.partition,
      sortKey: { between: range.between },
      forward: true,
      limit: options.pageSize ?? LEASE_PAGE_SIZE,
      cursor,
    });
    for (const item of page.items) {
      if (options.shouldStop?.()) return summary;
      summary.scanned++;
      const entry = indexEntry(item);
      try {
        if (entry.kind === 'invite') {
          const released = await releaseDeadLease(db, entry.orgId, entry.id, audit);
          if (released === undefined) summary.skipped++;
          else {
            summary.leasesReleased++;
            summary.seatsReleased += released;
          }
        } else {
          count(
            summary,
            await recoverImport(db, entry.orgId, entry.id, audit.now, {
              ...(options.maxResumes === undefined ? {} : { maxResumes: options.maxResumes }),
              requestId: audit.requestId,
            }),
          );
        }
      } catch (error) {
        summary.failed++;
        options.onFailure?.(entry, error);
      }
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor && !options.shouldStop?.());
  return summary;
}

function count(summary: SweepSummary, outcome: RecoveryOutcome): void {
  if (outcome === 'resumed') summary.importsResumed++;
  else if (outcome === 'cancelled') summary.importsCancelled++;
  else if (outcome === 'failed') summary.importsFailed++;
  else summary.skipped++;
}

/** The entry's kind, org and id, from the index sort key `deadline#kind#orgId#id` (ids hold no `#`). */
function indexEntry(item: Record<string, unknown>): { kind: LeaseKind; orgId: string; id: string } {
  const sk = item[indexKeyAttributes(LEASE_INDEX).sortKey] as string;
  const [, kind, orgId, id] = sk.split('#') as [string, LeaseKind, string, string];
  return { kind, orgId, id };
}

/** The lease and its uses, read consistently from the org partition; undefined when it is gone. */
export async function leaseWithUses(
  db: Database,
  orgId: string,
  leaseId: string,
): Promise<{ lease: SeatLease; uses: number } | undefined> {
  const items = await queryWholePartition(db, orgPartition(orgId), seatLeaseKey(orgId, leaseId).SK);
  const leaseItem = items.find((i) => i.entity === SEAT_LEASE_ENTITY);
  if (!leaseItem) return undefined;
  return { lease: leaseFromItem(leaseItem), uses: items.filter((i) => i.entity === SEAT_LEASE_USE_ENTITY).length };
}

/** Seats given back for an overdue lease; undefined when it was already ended (by its owner, or another sweep). */
async function releaseDeadLease(
  db: Database,
  orgId: string,
  leaseId: string,
  audit: AuditContext,
): Promise<number | undefined> {
  const found = await leaseWithUses(db, orgId, leaseId);
  if (!found || Date.parse(found.lease.deadline) > audit.now.getTime()) return undefined;
  const unused = found.lease.granted - found.uses;
  const event = auditStep(
    db,
    {
      orgId,
      action: 'seats.released',
      target: { type: 'seat_lease', id: leaseId },
      after: {
        granted: found.lease.granted,
        used: found.uses,
        released: unused,
        owner: found.lease.owner,
        deadline: found.lease.deadline,
      },
    },
    { ...audit, actor: SWEEPER_ACTOR },
  );
  return (await endLease(db, found.lease, unused, [event])) ? unused : undefined;
}

/** Sort-key prefix of an org's leases and their uses (the recount reads them). */
export const SEAT_LEASE_PREFIX = ORG_PARTITION_PREFIX.seatLease;
