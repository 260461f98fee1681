import { transactWrite, update, type TransactionStep } from '../data/transactions.js';
import { nameSortValue } from '../data/keys.js';
import { ConcurrentModificationError, ConflictError, NotFoundError } from '../errors.js';
import { findExistingPeople } from '../members/existing-people.js';
import { seatReservationUpdate, settleReservationStep } from '../members/seat-reservation.js';
import type { Org } from '../orgs/org.js';
import { ADMIN_ROLE } from '../roles.js';
import { SeatsMovedError } from '../seats/seat-lease.js';
import { seatsToGrant } from '../seats/seat-rules.js';
import type { Database } from '../data/dynamo-client.js';
import { IMPORT_RETENTION_SECONDS, workerAudit, type ImportJob, type ImportRow, type RowCode } from './import-job.js';
import { batchMarkerStep, importProgressStep, settleBatchMarkerStep } from './import-job-repository.js';
import { getBatchMarker, getChunk, type BatchMarker, type SkippedRow } from './import-repository.js';
import { writeRows, type CreatedRow, type ImportWorkerDeps } from './import-rows.js';

/** Attempts at reserving a batch's seats while other writers keep moving the counter. */
const RESERVATION_ATTEMPTS = 8;

/**
 * The import's checkpoint while batches settle out of order: `nextChunk` on the job is the
 * first chunk not yet settled (every chunk before it is), so a resumed run starts there and
 * finds any later one already settled (its marker says so) without redoing it. Each settle
 * transaction writes the checkpoint as it will be once that batch is settled; settled chunks
 * only grow, so a value written late is at worst behind, never ahead.
 */
export class Checkpoint {
  private readonly settled = new Set<number>();
  constructor(private low: number) {}

  /** The checkpoint once `chunk` is settled too. */
  after(chunk: number): number {
    let low = this.low;
    while (low === chunk || this.settled.has(low)) low++;
    return low;
  }

  /** The first chunk not settled yet. */
  get next(): number {
    return this.low;
  }

  markSettled(chunk: number): void {
    this.settled.add(chunk);
    while (this.settled.has(this.low)) this.low++;
  }
}

export interface BatchContext {
  org: Org;
  /** Lower-cased team name → id, for the teams the commit created. */
  teams: Map<string, string>;
  beforeSettle?: (chunk: number) => Promise<void>;
  /** The run's checkpoint, when batches settle concurrently; alone, a batch moves it past itself. */
  checkpoint?: Checkpoint;
}

export interface BatchResult {
  /** The batch had been settled before: nothing was written. */
  replayed: boolean;
  marker: BatchMarker;
}

/**
 * One batch (one chunk of rows), idempotent end to end:
 * 1. seats for the whole batch in ONE conditional update of the org item, in the transaction
 *    that writes the batch marker with the grant (a replay finds the marker and reuses it);
 * 2. the granted rows, many to a transaction (writeRows), none touching the org item; each
 *    row's audit event has a key derived from the import, the line and the batch's clock, so
 *    a replayed row finds it and is recognised, not imported twice (rowAuditOptions);
 * 3. one settle transaction: the marker marked settled with the outcomes, the unused seats
 *    released and the created members counted (settleReservationStep), and the import's
 *    checkpoint and progress moved. A settled batch replayed does nothing.
 */
export async function processBatch(
  deps: ImportWorkerDeps,
  job: ImportJob,
  chunkIndex: number,
  context: BatchContext,
): Promise<BatchResult> {
  const { db } = deps;
  const existing = await getBatchMarker(db, job.importId, chunkIndex);
  if (existing?.settled) {
    context.checkpoint?.markSettled(chunkIndex);
    return { replayed: true, marker: existing };
  }
  const chunk = await getChunk(db, job.importId, chunkIndex);
  const marker = existing ?? (await reserveBatch(db, job, chunkIndex, chunk.rows, context.org.maxSeats));

  const eligible = new Set(marker.eligible);
  const rows = chunk.rows.filter((row) => eligible.has(row.line)).map((row) => resolveTeam(row, context.teams));
  // The batch's clock is its reservation's: a replay builds the same audit event keys (rowAuditOptions).
  const outcomes = await writeRows(deps, job, context.org, rows, {
    ...workerAudit(job),
    now: new Date(marker.reservedAt),
  });
  const created = outcomes.filter((o): o is CreatedRow => 'created' in o);
  const skipped = [...marker.preSkipped, ...outcomes.filter((o): o is SkippedRow => 'code' in o)].sort(
    (a, b) => a.line - b.line,
  );
  await context.beforeSettle?.(chunkIndex);

  const admins = job.mode === 'add' ? created.filter((c) => c.role === ADMIN_ROLE).length : 0;
  const byReason = new Map<RowCode, number>();
  for (const s of skipped) byReason.set(s.code, (byReason.get(s.code) ?? 0) + 1);
  const settled: BatchMarker = {
    ...marker,
    settled: true,
    created: created.map((c) => c.line).sort((a, b) => a - b),
    skipped,
  };
  try {
    await transactWrite(db, [
      settleBatchMarkerStep(
        db,
        job.importId,
        chunkIndex,
        settled,
        () => new ConflictError('The batch was settled by another run', 'batch_settled'),
      ),
      settleReservationStep(db, job.orgId, {
        seats: created.length - marker.granted,
        members: job.mode === 'add' ? created.length : 0,
        admins,
      }),
      // The marker's condition makes this happen once per batch. A checkpoint written by a batch
      // that committed late may be behind another's: never ahead (Checkpoint), so no condition.
      importProgressStep(db, job, {
        nextChunk: context.checkpoint?.after(chunkIndex) ?? Math.max(job.nextChunk, chunkIndex + 1),
        processed: chunk.rows.length,
        created: created.length,
        skipped: skipped.length,
        skippedByReason: byReason,
        at: new Date().toISOString(),
      }),
    ]);
  } catch (error) {
    if (error instanceof ConflictError && error.code === 'batch_settled') {
      context.checkpoint?.markSettled(chunkIndex);
      return { replayed: true, marker: (await getBatchMarker(db, job.importId, chunkIndex))! };
    }
    throw error;
  }
  context.checkpoint?.markSettled(chunkIndex);
  return { replayed: false, marker: settled };
}

const resolveTeam = (row: ImportRow, teams: Map<string, string>): ImportRow =>
  row.teamId || !row.teamName ? row : { ...row, teamId: teams.get(nameSortValue(row.teamName)) ?? null };

/**
 * Re-checks the batch's rows against the org as it is now (members and invitations made
 * since the preview), then reserves a seat per remaining row, as many as are free, in the
 * transaction that puts the batch marker with the grant and which lines hold the seats.
 * The seat update is reserveSeats' (seatReservationUpdate in shared/members/seat-reservation.ts),
 * here joined to the marker's put: a reservation and its record cannot be separated by a crash.
 */
async function reserveBatch(
  db: Database,
  job: ImportJob,
  chunkIndex: number,
  rows: ImportRow[],
  maxSeatsSeen: number,
): Promise<BatchMarker> {
  const preSkipped = await alreadyThere(db, job.orgId, rows);
  const skippedLines = new Set(preSkipped.map((s) => s.line));
  const candidates = rows.filter((r) => !skippedLines.has(r.line));
  let maxSeats = maxSeatsSeen;
  let ask = candidates.length;
  for (let attempt = 1; attempt <= RESERVATION_ATTEMPTS; attempt++) {
    const noSeat = candidates
      .slice(ask)
      .map((r) => ({ line: r.line, code: 'seat_limit_reached' as const, message: `Seat limit reached (${maxSeats})` }));
    const marker: BatchMarker = {
      chunk: chunkIndex,
      granted: ask,
      eligible: candidates.slice(0, ask).map((r) => r.line),
      preSkipped: [...preSkipped, ...noSeat],
      reservedAt: new Date().toISOString(),
      settled: false,
      created: [],
      skipped: [],
    };
    const ttl = Math.floor(Date.now() / 1000) + IMPORT_RETENTION_SECONDS;
    const steps: TransactionStep[] = [
      batchMarkerStep(
        db,
        job.importId,
        marker,
        ttl,
        () => new ConflictError('The batch was reserved by another run', 'batch_reserved'),
      ),
    ];
    if (ask > 0) {
      steps.push(
        update(db, seatReservationUpdate(job.orgId, ask, maxSeats), (current) => new SeatsMovedError(current)),
      );
    }
    try {
      await transactWrite(db, steps);
      return marker;
    } catch (error) {
      if (error instanceof ConflictError && error.code === 'batch_reserved')
        return (await getBatchMarker(db, job.importId, chunkIndex))!;
      if (!(error instanceof SeatsMovedError)) throw error;
      if (!error.current) throw new NotFoundError('No such organization');
      maxSeats = Number(error.current.maxSeats);
      ask = seatsToGrant({ maxSeats, seatsUsed: Number(error.current.seatsUsed) }, candidates.length);
    }
  }
  throw new ConcurrentModificationError();
}

/** Rows whose person became a member (said first), or was invited, since the preview (findExistingPeople). */
async function alreadyThere(db: Database, orgId: string, rows: ImportRow[]): Promise<SkippedRow[]> {
  const { members, invited } = await findExistingPeople(
    db,
    orgId,
    rows.map((r) => r.email),
  );
  return rows.flatMap((row): SkippedRow[] => {
    if (members.has(row.email))
      return [{ line: row.line, code: 'already_member', message: `${row.email} is already a member` }];
    if (invited.has(row.email))
      return [{ line: row.line, code: 'already_invited', message: `${row.email} already has a pending invitation` }];
    return [];
  });
}
