import { auditStep, type AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { ORG_PARTITION_PREFIX, orgPartition } from '../data/keys.js';
import { eachPartitionItem } from '../data/pagination.js';
import { getOrg, seatCounterRepairStep } from '../orgs/org-repository.js';
import { transactWrite } from '../data/transactions.js';
import { ConcurrentModificationError, ConflictError, NotFoundError } from '../errors.js';
import { IMPORT_JOB_ENTITY } from '../imports/import-job.js';
import { batchFromItem, queryImportItems } from '../imports/import-repository.js';
import { batchRowsWritten } from '../imports/recover-import.js';
import { SEAT_LEASE_ENTITY, SEAT_LEASE_USE_ENTITY } from './seat-lease-repository.js';

export interface SeatRecount {
  /** The counter as it was before the recount. */
  seatsUsed: number;
  /** Active members + pending invitations + seats held by live reservations (bulk invites, import batches). */
  recounted: number;
  /** recounted − seatsUsed: what the repair moved the counter by (0 when it was right). */
  drift: number;
  /** The parts of the recount. */
  activeMembers: number;
  pendingInvitations: number;
  reserved: number;
}

/** Recounts re-run when a seat changes while the org is being counted. */
const RECOUNT_ATTEMPTS = 3;

/**
 * Recounts an org's seats from its items and repairs the counter when it drifted, with a
 * `seats.reconciled` audit event in the same transaction. An operator action: it reads the
 * whole org (O(org), paginated Queries of the org partition's member, pending-invitation, lease
 * and import keys, strongly consistent, projecting only what it counts; never a Scan), so it is
 * not for the request path. The counter is read first and the repair is conditioned on it being
 * unchanged: a seat change during the count (every one moves the counter) makes it count again.
 */
export async function reconcileSeats(db: Database, orgId: string, audit: AuditContext): Promise<SeatRecount> {
  for (let attempt = 1; attempt <= RECOUNT_ATTEMPTS; attempt++) {
    const org = await getOrg(db, orgId, true);
    if (!org) throw new NotFoundError('No such organization');
    const [activeMembers, pendingInvitations, leased, importing] = await Promise.all([
      countOrgItems(db, orgId, ORG_PARTITION_PREFIX.member, (i) => i.status === 'active'),
      countOrgItems(db, orgId, ORG_PARTITION_PREFIX.pendingInvite, () => true),
      leaseSeatsHeld(db, orgId),
      importSeatsHeld(db, orgId),
    ]);
    const reserved = leased + importing;
    const recounted = activeMembers + pendingInvitations + reserved;
    const result: SeatRecount = {
      seatsUsed: org.seatsUsed,
      recounted,
      drift: recounted - org.seatsUsed,
      activeMembers,
      pendingInvitations,
      reserved,
    };
    if (result.drift === 0) return result;
    try {
      await transactWrite(db, [
        seatCounterRepairStep(
          db,
          orgId,
          { seen: org.seatsUsed, recounted },
          () => new ConflictError('The seat counter moved during the recount', 'seats_moved'),
        ),
        auditStep(
          db,
          {
            orgId,
            action: 'seats.reconciled',
            target: { type: 'org', id: orgId },
            before: { seatsUsed: org.seatsUsed },
            after: { seatsUsed: recounted, activeMembers, pendingInvitations, reserved },
          },
          audit,
        ),
      ]);
      return result;
    } catch (error) {
      if (!(error instanceof ConflictError && error.code === 'seats_moved')) throw error;
    }
  }
  throw new ConcurrentModificationError('Seats kept changing during the recount; try again');
}

/** Items of the org partition under `prefix` that `keep` accepts, read page by page (consistent). */
async function countOrgItems(
  db: Database,
  orgId: string,
  prefix: string,
  keep: (item: Record<string, unknown>) => boolean,
  attributes: readonly string[] = ['status'],
): Promise<number> {
  let total = 0;
  for await (const item of orgItems(db, orgId, prefix, attributes)) if (keep(item)) total++;
  return total;
}

const orgItems = (db: Database, orgId: string, prefix: string, attributes: readonly string[]) =>
  eachPartitionItem(db, orgPartition(orgId), prefix, attributes);

/**
 * Seats the org's live bulk-invite leases hold: each lease's grant less the uses recorded beside
 * it (seat-lease.ts). Uses of an ended lease stay until their TTL and count for nothing.
 */
async function leaseSeatsHeld(db: Database, orgId: string): Promise<number> {
  const leases = new Map<string, { granted: number; uses: number }>();
  for await (const item of orgItems(db, orgId, ORG_PARTITION_PREFIX.seatLease, ['entity', 'granted', 'leaseId'])) {
    const entry = leases.get(item.leaseId as string) ?? { granted: 0, uses: 0 };
    if (item.entity === SEAT_LEASE_ENTITY) entry.granted = Number(item.granted);
    else if (item.entity === SEAT_LEASE_USE_ENTITY) entry.uses++;
    leases.set(item.leaseId as string, entry);
  }
  return [...leases.values()].reduce((sum, l) => sum + (l.granted > 0 ? l.granted - l.uses : 0), 0);
}

/** Seats held by the unsettled batches of each import in flight (granted less their rows written; batches run concurrently). */
async function importSeatsHeld(db: Database, orgId: string): Promise<number> {
  let held = 0;
  for await (const item of orgItems(db, orgId, ORG_PARTITION_PREFIX.importJob, [
    'entity',
    'status',
    'nextChunk',
    'importId',
    'leaseUntil',
  ])) {
    if (item.entity !== IMPORT_JOB_ENTITY || !item.leaseUntil) continue;
    const markers = (await queryImportItems(db, item.importId as string, 'BATCH#')).map(batchFromItem);
    for (const marker of markers.filter((m) => !m.settled))
      held += marker.granted - (await batchRowsWritten(db, { orgId, importId: item.importId as string }, marker)).size;
  }
  return held;
}
