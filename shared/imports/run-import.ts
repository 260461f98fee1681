import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { auditStep, type AuditContext, type AuditStepOptions } from '../audit/audit-event.js';
import { derivedId } from '../ids.js';
import type { Database } from '../data/dynamo-client.js';
import { importBatchKey, importJobKey, nameSortValue, normalizeEmail, teamNameClaimKey } from '../data/keys.js';
import { getOrg } from '../data/org-repository.js';
import { packTransactions, put, transactWrite, update, type TransactionStep } from '../data/transactions.js';
import { findUserIdByEmail, findUserIdsByEmail, personSteps } from '../data/user-repository.js';
import { ConcurrentModificationError, ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { newInvitationSteps } from '../invitations/create-invitations.js';
import { teamExistsStep } from '../members/add-member.js';
import { newMembership } from '../members/membership.js';
import { membershipWriteSteps } from '../members/membership-steps.js';
import { seatReservationUpdate, settleReservationStep } from '../members/seat-reservation.js';
import type { Org } from '../orgs/org.js';
import { ADMIN_ROLE } from '../roles.js';
import { createTeam } from '../teams/create-team.js';
import { mapBounded } from '../concurrency.js';
import { IMPORT_RETENTION_SECONDS, type ImportJob, type ImportRow, type RowCode } from './import-job.js';
import {
  LEASE_GRACE_MS,
  LEASE_NAMES,
  LEASE_REMOVE,
  LEASE_SET,
  leaseValues,
  pickupLeaseUntil,
  WORKER_TIMEOUT_MS,
} from './import-lease.js';
import {
  getBatchMarker,
  getChunk,
  IMPORT_BATCH_ENTITY,
  jobFromItem,
  type BatchMarker,
  type SkippedRow,
} from './import-repository.js';
import { findExistingPeople } from '../members/existing-people.js';

/** No identity provider: an import asks nothing of it (people's identities are created when first needed). */
export interface ImportWorkerDeps {
  db: Database;
  appUrl: string;
}

/**
 * A batch's rows are written many to a transaction (up to DynamoDB's 100 actions: 20 invite
 * rows or 12-14 new members), this many transactions at once per batch; they touch no shared item.
 */
export const TRANSACTIONS_IN_FLIGHT = 4;
/**
 * Batches of one import processed at once, each with its own seat reservation: time then falls
 * with DynamoDB's capacity, not only with its latency. The org item (reservation, settle) is the
 * one item they share: BATCHES_IN_FLIGHT writers at most, retried on TransactionConflict.
 */
export const BATCHES_IN_FLIGHT = 3;
/** Rows prepared or written one by one at once (reads for existing users; rows whose shared transaction failed). */
const ROWS_IN_FLIGHT = 16;
/** Attempts for a row whose transaction lost a race (same person added elsewhere meanwhile). */
const ROW_ATTEMPTS = 3;
/** Attempts at reserving a batch's seats while other writers keep moving the counter. */
const RESERVATION_ATTEMPTS = 8;

export interface RunOptions {
  /** True when the invocation should hand over to a fresh one (Lambda time running out). */
  shouldStop?: () => boolean;
  /** Milliseconds this invocation has left (Lambda's getRemainingTimeInMillis); the worker's lease covers them. @default the worker's timeout */
  remainingMs?: () => number;
  /** Test seam: runs after a batch's rows are written and before it settles (a crash there is what a replay must survive). */
  beforeSettle?: (chunk: number) => Promise<void>;
  /** @default BATCHES_IN_FLIGHT */
  batchesInFlight?: number;
}

export type RunResult = 'stale' | 'completed' | 'cancelled' | 'handed_over';

/**
 * The import worker: claims a queued import (the stream record's runSeq must still be the
 * job's, so a stale or duplicate record does nothing), creates the teams it needs, then
 * processes the chunks from the checkpoint on, one batch per chunk, honouring a cancel between
 * batches. Near its timeout it re-queues the import under a new runSeq: the stream starts a
 * fresh invocation that resumes at the checkpoint.
 */
export async function runImport(
  deps: ImportWorkerDeps,
  orgId: string,
  importId: string,
  runSeq: number,
  options: RunOptions = {},
): Promise<RunResult> {
  const { db } = deps;
  let job: ImportJob;
  try {
    const out = await db.client.send(
      new UpdateCommand({
        TableName: db.tableName,
        Key: importJobKey(orgId, importId),
        UpdateExpression: `SET #status = :running, updatedAt = :now, ${LEASE_SET}`,
        ConditionExpression: 'runSeq = :seq AND #status IN (:queued, :running)',
        ExpressionAttributeNames: { '#status': 'status', ...LEASE_NAMES },
        ExpressionAttributeValues: {
          ':running': 'running',
          ':queued': 'queued',
          ':seq': runSeq,
          ':now': new Date().toISOString(),
          ...leaseValues(orgId, importId, workerLeaseUntil(options)),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    job = jobFromItem(out.Attributes ?? {});
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return 'stale';
    throw error;
  }
  const org = await getOrg(db, orgId, true);
  if (!org) throw new NotFoundError('No such organization');
  const teams = await ensureTeams(db, job);
  const context: BatchContext = { org, teams, ...(options.beforeSettle ? { beforeSettle: options.beforeSettle } : {}) };

  // Batches run BATCHES_IN_FLIGHT at once. Each starts by renewing the worker's lease (the read
  // it needs anyway: the seat sweeper takes over an import only once its lease has run out)
  // and honours a cancel or a hand-over there; the batches already in hand complete first.
  const checkpoint = new Checkpoint(job.nextChunk);
  let next = job.nextChunk;
  let stop: 'stale' | 'cancelled' | 'handed_over' | undefined;
  const failures: unknown[] = [];
  const lane = async (): Promise<void> => {
    while (!stop && failures.length === 0 && next < job.chunkCount) {
      const chunk = next++;
      const current = await renewLease(db, orgId, importId, runSeq, workerLeaseUntil(options));
      if (!current) stop = 'stale';
      else if (current.cancelRequested) stop ??= 'cancelled';
      else if (options.shouldStop?.()) stop ??= 'handed_over';
      if (stop) return;
      try {
        await processBatch(deps, current!, chunk, { ...context, checkpoint });
      } catch (error) {
        failures.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: options.batchesInFlight ?? BATCHES_IN_FLIGHT }, lane));
  // A batch that failed fails the run (the stream retries it) once the others in hand are done.
  if (failures.length > 0) throw failures[0];
  if (stop === 'stale') return 'stale';
  if (stop === 'cancelled') return finish(db, await readJob(db, orgId, importId), 'cancelled', checkpoint.next);
  if (stop === 'handed_over') {
    try {
      await db.client.send(
        new UpdateCommand({
          TableName: db.tableName,
          Key: importJobKey(orgId, importId),
          UpdateExpression: `SET #status = :queued, runSeq = runSeq + :one, nextChunk = :next, updatedAt = :now, ${LEASE_SET}`,
          ConditionExpression: 'runSeq = :seq',
          ExpressionAttributeNames: { '#status': 'status', ...LEASE_NAMES },
          ExpressionAttributeValues: {
            ':queued': 'queued',
            ':one': 1,
            ':next': checkpoint.next,
            ':seq': runSeq,
            ':now': new Date().toISOString(),
            ...leaseValues(orgId, importId, pickupLeaseUntil()),
          },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'stale';
      throw error;
    }
    return 'handed_over';
  }
  return finish(db, await readJob(db, orgId, importId), 'completed', checkpoint.next);
}

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

async function readJob(db: Database, orgId: string, importId: string): Promise<ImportJob> {
  const { Item } = await db.client.send(
    new GetCommand({ TableName: db.tableName, Key: importJobKey(orgId, importId), ConsistentRead: true }),
  );
  if (!Item) throw new NotFoundError('No such import');
  return jobFromItem(Item);
}

/** The job, with this run's lease moved on; undefined when the run no longer owns it (the sweeper took over). */
async function renewLease(
  db: Database,
  orgId: string,
  importId: string,
  runSeq: number,
  until: Date,
): Promise<ImportJob | undefined> {
  try {
    const out = await db.client.send(
      new UpdateCommand({
        TableName: db.tableName,
        Key: importJobKey(orgId, importId),
        UpdateExpression: `SET ${LEASE_SET}`,
        ConditionExpression: 'runSeq = :seq AND #status = :running',
        ExpressionAttributeNames: { '#status': 'status', ...LEASE_NAMES },
        ExpressionAttributeValues: { ':seq': runSeq, ':running': 'running', ...leaseValues(orgId, importId, until) },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return jobFromItem(out.Attributes ?? {});
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw error;
  }
}

/** The running worker's lease: the rest of its invocation and a grace, so it outlives the invocation. */
const workerLeaseUntil = (options: RunOptions): Date =>
  new Date(Date.now() + (options.remainingMs?.() ?? WORKER_TIMEOUT_MS) + LEASE_GRACE_MS);

/** The worker's audit context: the admin who committed, from where they did it, now. */
export function workerAudit(job: ImportJob): AuditContext {
  const origin = job.committedBy ?? job.createdBy;
  return {
    actor: origin.actor,
    ip: origin.ip,
    userAgent: origin.userAgent,
    requestId: origin.requestId,
    now: new Date(),
  };
}

/** The final status (with the checkpoint as the run left it) and the import's own audit event, in one transaction. */
async function finish(
  db: Database,
  job: ImportJob,
  status: 'completed' | 'cancelled',
  nextChunk: number,
): Promise<RunResult> {
  const audit = workerAudit(job);
  const at = audit.now.toISOString();
  await transactWrite(db, [
    update(
      db,
      {
        key: importJobKey(job.orgId, job.importId),
        updateExpression: `SET #status = :status, nextChunk = :next, finishedAt = :now, updatedAt = :now ${LEASE_REMOVE}`,
        condition: 'runSeq = :seq AND #status = :running',
        names: { '#status': 'status', ...LEASE_NAMES },
        values: { ':status': status, ':next': nextChunk, ':now': at, ':seq': job.runSeq, ':running': 'running' },
      },
      () => new ConcurrentModificationError('The import changed while it finished'),
    ),
    auditStep(
      db,
      {
        orgId: job.orgId,
        action: `import.${status}`,
        target: { type: 'import', id: job.importId },
        after: {
          mode: job.mode,
          rows: job.counts.rows,
          toImport: job.counts.toImport,
          rejected: job.counts.rejected,
          processed: job.processed,
          created: job.created,
          skipped: job.skipped,
          skippedByReason: job.skippedByReason,
        },
      },
      audit,
    ),
  ]);
  return status;
}

/** Teams named in the file that the commit creates (createTeams): created once, or found by their name claim. */
async function ensureTeams(db: Database, job: ImportJob): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const name of job.newTeams) {
    try {
      const team = await createTeam(db, job.orgId, { name }, workerAudit(job));
      ids.set(nameSortValue(name), team.teamId);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      // Created meanwhile (by an admin, or by an earlier run of this import): use that team.
      const { Item } = await db.client.send(
        new GetCommand({ TableName: db.tableName, Key: teamNameClaimKey(job.orgId, name), ConsistentRead: true }),
      );
      if (!Item) throw error;
      ids.set(nameSortValue(name), Item.teamId as string);
    }
  }
  return ids;
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
  // Counter names such as `processed` are DynamoDB reserved words: every one goes through a name placeholder.
  const reasonNames: Record<string, string> = {
    '#processed': 'processed',
    '#created': 'created',
    '#skipped': 'skipped',
  };
  const reasonValues: Record<string, unknown> = {};
  const reasonSets = [...byReason].map(([code, n], i) => {
    reasonNames[`#r${i}`] = code;
    reasonValues[`:r${i}`] = n;
    return `skippedByReason.#r${i} = if_not_exists(skippedByReason.#r${i}, :zero) + :r${i}`;
  });
  const settled: BatchMarker = {
    ...marker,
    settled: true,
    created: created.map((c) => c.line).sort((a, b) => a - b),
    skipped,
  };
  try {
    await transactWrite(db, [
      update(
        db,
        {
          key: importBatchKey(job.importId, chunkIndex),
          updateExpression: 'SET settled = :true, #created = :created, #skipped = :skipped',
          condition: 'settled = :false',
          names: { '#created': 'created', '#skipped': 'skipped' },
          values: { ':true': true, ':false': false, ':created': settled.created, ':skipped': skipped },
        },
        () => new ConflictError('The batch was settled by another run', 'batch_settled'),
      ),
      settleReservationStep(db, job.orgId, {
        seats: created.length - marker.granted,
        members: job.mode === 'add' ? created.length : 0,
        admins,
      }),
      // The marker's condition makes this happen once per batch. A checkpoint written by a batch
      // that committed late may be behind another's: never ahead (Checkpoint), so no condition.
      update(db, {
        key: importJobKey(job.orgId, job.importId),
        updateExpression: [
          'SET nextChunk = :next, #processed = #processed + :processed, #created = #created + :created, #skipped = #skipped + :skipped, updatedAt = :now',
          ...reasonSets,
        ].join(', '),
        names: reasonNames,
        values: {
          ...reasonValues,
          ':next': context.checkpoint?.after(chunkIndex) ?? Math.max(job.nextChunk, chunkIndex + 1),
          ':processed': chunk.rows.length,
          ':created': created.length,
          ':skipped': skipped.length,
          ':now': new Date().toISOString(),
          ...(reasonSets.length > 0 ? { ':zero': 0 } : {}),
        },
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

/** Thrown inside the reservation transaction when the org's counters moved since they were read. */
class SeatsMovedError extends ConflictError {
  constructor(readonly current: Record<string, unknown> | undefined) {
    super('The seat counter moved; re-plan the reservation', 'seats_moved');
  }
}

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
      put(
        db,
        {
          ...importBatchKey(job.importId, chunkIndex),
          entity: IMPORT_BATCH_ENTITY,
          importId: job.importId,
          ...marker,
          ttl,
        },
        'attribute_not_exists(PK)',
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
      ask = Math.max(0, Math.min(candidates.length, maxSeats - Number(error.current.seatsUsed)));
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

interface CreatedRow {
  line: number;
  created: true;
  role: ImportRow['role'];
}

/** A row to write, with the user id holding its email when the batch read the email claims (`add` rows). */
interface RowToWrite {
  row: ImportRow;
  holder: string | undefined;
}

/**
 * The batch's rows, packed many to a transaction (packTransactions). A transaction that fails
 * wrote nothing; usually one row's condition failed (written by an earlier run of a replayed
 * batch, or the person added, invited or the team deleted meanwhile), so its rows are then
 * written one by one, where each row's own refusal is known. An `add` batch reads its rows'
 * email claims first (one BatchGetItem per 100): a person Roster knows is attached, a new one
 * becomes a Roster user at once, with no identity-provider call (personSteps).
 */
async function writeRows(
  deps: ImportWorkerDeps,
  job: ImportJob,
  org: Org,
  rows: ImportRow[],
  audit: AuditContext,
): Promise<(CreatedRow | SkippedRow)[]> {
  const holders =
    job.mode === 'add'
      ? await findUserIdsByEmail(
          deps.db,
          rows.map((row) => row.email),
        )
      : undefined;
  const units = rows.map((row) => {
    const unit: RowToWrite = { row, holder: holders?.get(normalizeEmail(row.email)) };
    return { unit, steps: rowSteps(deps, job, org, unit, audit) };
  });
  const written = await mapBounded(packTransactions(units), TRANSACTIONS_IN_FLIGHT, async (pack) => {
    try {
      await transactWrite(deps.db, pack.steps);
      return pack.units.map(({ row }): CreatedRow => ({ line: row.line, created: true, role: row.role }));
    } catch {
      return mapBounded(pack.units, ROWS_IN_FLIGHT, (unit) => importRow(deps, job, org, unit, audit));
    }
  });
  return written.flat();
}

/** The row in its own transaction, retried when it only lost a race; a refusal becomes a skipped row. */
async function importRow(
  deps: ImportWorkerDeps,
  job: ImportJob,
  org: Org,
  unit: RowToWrite,
  audit: AuditContext,
): Promise<CreatedRow | SkippedRow> {
  const { row } = unit;
  for (let attempt = 1; ; attempt++) {
    try {
      // After a lost race (the same new person added elsewhere) the email's holder is read again, and attached.
      const holder = attempt > 1 && job.mode === 'add' ? await findUserIdByEmail(deps.db, row.email) : unit.holder;
      await transactWrite(deps.db, rowSteps(deps, job, org, { row, holder }, audit));
      return { line: row.line, created: true, role: row.role };
    } catch (error) {
      if (error instanceof ConflictError && error.code === 'import_row_done')
        return { line: row.line, created: true, role: row.role };
      if (error instanceof ConcurrentModificationError && attempt < ROW_ATTEMPTS) continue;
      const skip = skippedFor(row, error);
      if (skip) return skip;
      throw error;
    }
  }
}

function skippedFor(row: ImportRow, error: unknown): SkippedRow | undefined {
  if (error instanceof ConcurrentModificationError)
    return { line: row.line, code: 'concurrent_modification', message: error.message };
  if (error instanceof ConflictError && ['already_member', 'already_invited', 'email_taken'].includes(error.code))
    return { line: row.line, code: error.code as RowCode, message: error.message };
  if (error instanceof ValidationError)
    return { line: row.line, code: 'unknown_team', message: 'The team was deleted during the import' };
  return undefined;
}

/** A row's steps: in `add` mode a member (an existing person attached, or a new one), in `invite` mode an invitation. */
function rowSteps(
  deps: ImportWorkerDeps,
  job: ImportJob,
  org: Org,
  { row, holder }: RowToWrite,
  audit: AuditContext,
): TransactionStep[] {
  if (job.mode === 'invite') return inviteRowSteps(deps, job, org, row, audit);
  return addRowSteps(deps.db, job, row, holder, audit);
}

/**
 * The row's audit event is its done-marker: its id comes from the import and the line, its time
 * is the batch's (reservedAt), so a replay writes the same key, and audit events are never
 * deleted. It is the row's first step, so in a replay its refusal is the one reported.
 */
function rowAuditOptions(job: ImportJob, row: ImportRow): AuditStepOptions {
  return {
    eventId: derivedId('import', job.importId, String(row.line)),
    onExists: () => new ConflictError('The row was imported by an earlier run', 'import_row_done'),
  };
}

/**
 * `add` mode: the add-member building blocks without the org item (the batch holds the seat).
 * A person new to Roster becomes a user here with their identity pending: nothing is asked of
 * the identity provider (Cognito) on the import's path; the identity is created when first
 * needed (shared/users/ensure-identity.ts).
 */
function addRowSteps(
  db: Database,
  job: ImportJob,
  row: ImportRow,
  holder: string | undefined,
  audit: AuditContext,
): TransactionStep[] {
  const person = personSteps(db, row, holder, audit.now, job.orgId);
  const membership = newMembership(
    // Added by an admin, through a file rather than the form; the audit event names the import.
    {
      orgId: job.orgId,
      userId: person.userId,
      name: row.name,
      email: person.email,
      role: row.role,
      teamId: row.teamId,
      source: 'manual',
    },
    audit.now,
  );
  return [
    auditStep(
      db,
      {
        orgId: job.orgId,
        action: 'member.added',
        target: { type: 'member', id: person.userId },
        after: {
          email: membership.email,
          name: membership.name,
          role: membership.role,
          teamId: membership.teamId,
          status: membership.status,
          source: membership.source,
          importId: job.importId,
        },
      },
      audit,
      rowAuditOptions(job, row),
    ),
    ...membershipWriteSteps(db, membership, 'new'),
    ...person.steps,
    ...(row.teamId ? [teamExistsStep(db, job.orgId, row.teamId)] : []),
  ];
}

/** `invite` mode: the invitation building blocks (claim, invitation, token, outbox mail, audit) without the org item. */
function inviteRowSteps(
  deps: ImportWorkerDeps,
  job: ImportJob,
  org: Org,
  row: ImportRow,
  audit: AuditContext,
): TransactionStep[] {
  const inviter = (job.committedBy ?? job.createdBy).inviter;
  const { steps } = newInvitationSteps(deps.db, {
    org,
    request: { email: row.email, role: row.role, teamId: row.teamId, message: null, inviter },
    appUrl: deps.appUrl,
    audit,
    auditAfter: { importId: job.importId },
    auditOptions: rowAuditOptions(job, row),
  });
  return steps;
}
