import { auditStep, type AuditContext } from '../audit/audit-event.js';
import { batchGetAll } from '../data/batch-get.js';
import type { Database } from '../data/dynamo-client.js';
import { auditEventKey } from '../data/keys.js';
import { transactWrite } from '../data/transactions.js';
import { ConcurrentModificationError, ConflictError } from '../errors.js';
import { derivedId } from '../ids.js';
import { settleReservationStep } from '../members/seat-reservation.js';
import { settledCounters } from './import-batch.js';
import type { ImportJob } from './import-job.js';
import {
  endStuckImportStep,
  importProgressStep,
  readImportJob,
  settleBatchMarkerStep,
  takeStuckImport,
} from './import-job-repository.js';
import { pickupLeaseUntil } from './import-lease.js';
import { batchFromItem, getChunk, queryImportItems, type BatchMarker } from './import-repository.js';

/** Times a dead worker's import is re-queued before the sweeper fails it (a batch that always fails must end). */
export const MAX_RESUMES = 1;

/** The machine actor of the sweeper's audit events. */
export const SWEEPER_ACTOR = { type: 'system', id: 'seat-sweeper' } as const;

export type RecoveryOutcome = 'not_stuck' | 'resumed' | 'cancelled' | 'failed';

const ENDING = ['cancelled', 'failed'] as const;

/**
 * What the seat sweeper does with an import whose lease ran out (its worker is dead):
 * - cancel requested → `cancelled`; resumed fewer than `maxResumes` times → re-queued under a
 *   new runSeq (the stream starts a worker, which resumes at the checkpoint); else → `failed`;
 * - ending it (cancelled, failed) first takes it from any worker (runSeq moves on, the lease
 *   stays, so a sweeper that dies here is followed by the next), then settles the batch in
 *   hand from its rows' done-markers (settleStuckBatch: seats of rows never written go back),
 *   then drops the lease with the import's audit event, once.
 * Every step is conditioned on the state read, so two sweepers, or a sweeper and a late worker,
 * never both act.
 */
export async function recoverImport(
  db: Database,
  orgId: string,
  importId: string,
  now: Date,
  options: { maxResumes?: number; requestId?: string | null } = {},
): Promise<RecoveryOutcome> {
  let job = await readImportJob(db, orgId, importId);
  if (!job || !job.leaseUntil) return 'not_stuck';
  if (job.status === 'queued' || job.status === 'running') {
    if (Date.parse(job.leaseUntil) > now.getTime()) return 'not_stuck';
    const resumes = job.resumes ?? 0;
    const next = job.cancelRequested
      ? 'cancelled'
      : resumes < (options.maxResumes ?? MAX_RESUMES)
        ? 'queued'
        : 'failed';
    const until = next === 'queued' ? pickupLeaseUntil(now.getTime()) : new Date(job.leaseUntil);
    const resumed = next === 'queued' ? resumes + 1 : resumes;
    // False: a worker renewed its lease, or another sweeper acted first.
    if (!(await takeStuckImport(db, job, next, resumed, until, now))) return 'not_stuck';
    if (next === 'queued') return 'resumed';
    job = { ...job, status: next, runSeq: job.runSeq + 1 };
  }
  if (!isEnding(job.status)) return 'not_stuck';
  const markers = (await queryImportItems(db, job.importId, 'BATCH#')).map(batchFromItem);
  // Once these are settled, every chunk that has a marker is: the checkpoint goes past them all.
  const chunks = new Set(markers.map((m) => m.chunk));
  let nextChunk = 0;
  while (chunks.has(nextChunk)) nextChunk++;
  for (const marker of markers.filter((m) => !m.settled)) await settleStuckBatch(db, job, marker, nextChunk, now);
  const ended = await readImportJob(db, orgId, importId);
  if (!ended?.leaseUntil || !isEnding(ended.status)) return 'not_stuck';
  const audit: AuditContext = {
    actor: SWEEPER_ACTOR,
    ip: null,
    userAgent: null,
    requestId: options.requestId ?? null,
    now,
  };
  try {
    await transactWrite(db, [
      endStuckImportStep(
        db,
        ended,
        now.toISOString(),
        () => new ConflictError('Another sweeper ended the import', 'import_ended'),
      ),
      auditStep(
        db,
        {
          orgId,
          action: `import.${ended.status}`,
          target: { type: 'import', id: importId },
          after: {
            mode: ended.mode,
            rows: ended.counts.rows,
            toImport: ended.counts.toImport,
            processed: ended.processed,
            created: ended.created,
            skipped: ended.skipped,
            reason: ended.status === 'failed' ? 'worker_died' : 'cancelled_while_stuck',
          },
        },
        audit,
      ),
    ]);
  } catch (error) {
    if (error instanceof ConflictError && error.code === 'import_ended') return 'not_stuck';
    throw error;
  }
  return ended.status as RecoveryOutcome;
}

const isEnding = (status: string): status is (typeof ENDING)[number] => (ENDING as readonly string[]).includes(status);

/**
 * Seats a reserved-but-unsettled batch still holds: its granted seats less the rows already
 * written, known by their done-markers (each written row's audit event, whose key derives from
 * the import, the line and the batch's clock; see run-import.ts). Also what the recount adds
 * for a running import.
 */
export async function batchRowsWritten(
  db: Database,
  job: Pick<ImportJob, 'orgId' | 'importId'>,
  marker: BatchMarker,
): Promise<Set<number>> {
  const keys = marker.eligible.map((line) =>
    auditEventKey(job.orgId, marker.reservedAt, derivedId('import', job.importId, String(line))),
  );
  const found = await batchGetAll(db, keys);
  const ids = new Set(found.map((item) => item.eventId as string));
  return new Set(marker.eligible.filter((line) => ids.has(derivedId('import', job.importId, String(line)))));
}

/**
 * Settles a batch in hand of an import no worker runs any more (up to BATCHES_IN_FLIGHT of them,
 * found by one Query of the import's markers): the rows written count as created, the others as
 * skipped (`import_failed`), the seats they held go back, and the checkpoint moves to
 * `nextChunk`, in one transaction conditioned on the batch being unsettled.
 */
async function settleStuckBatch(
  db: Database,
  job: ImportJob,
  marker: BatchMarker,
  nextChunk: number,
  now: Date,
): Promise<void> {
  const written = await batchRowsWritten(db, job, marker);
  const chunk = await getChunk(db, job.importId, marker.chunk);
  const rows = chunk.rows.filter((row) => written.has(row.line));
  const skipped = [
    ...marker.preSkipped,
    ...marker.eligible
      .filter((line) => !written.has(line))
      .map((line) => ({
        line,
        code: 'import_failed' as const,
        message: 'The import stopped before this row was written',
      })),
  ];
  const created = [...written].sort((a, b) => a - b);
  try {
    await transactWrite(db, [
      settleBatchMarkerStep(
        db,
        job.importId,
        marker.chunk,
        { created, skipped },
        () => new ConflictError('The batch was settled meanwhile', 'batch_settled'),
      ),
      settleReservationStep(db, job.orgId, settledCounters(job, marker, rows)),
      importProgressStep(db, job, {
        nextChunk,
        processed: chunk.rows.length,
        created: created.length,
        skipped: skipped.length,
        at: now.toISOString(),
      }),
    ]);
  } catch (error) {
    if (error instanceof ConflictError && error.code === 'batch_settled') return;
    if (error instanceof ConcurrentModificationError) return;
    throw error;
  }
}
