import { transactWrite, update, type TransactionStep } from '../data/transactions.js';
import { nameSortValue } from '../data/keys.js';
import { ConcurrentModificationError, ConflictError, NotFoundError } from '../errors.js';
import { findExistingPeople } from '../members/existing-people.js';
import { seatReservationUpdate, settleReservationStep } from '../members/seat-reservation.js';
import type { Org } from '../orgs/org.js';
import { ADMIN_ROLE, isBuiltInRole, roleDefinition, roleManagesOrg, type CustomRoles, type Role } from '../roles.js';
import { roleHolderClauses, type CounterDelta, type RoleHolderDelta } from '../members/membership-steps.js';
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
  const marker =
    existing ?? (await reserveBatch(deps, job, chunkIndex, chunk.rows, context.org.maxSeats, context.org.customRoles));

  const eligible = new Set(marker.eligible);
  const rows = chunk.rows.filter((row) => eligible.has(row.line)).map((row) => resolveTeam(row, context.teams));
  // The batch's clock is its reservation's: a replay builds the same audit event keys (rowAuditOptions).
  const outcomes = await writeRows(
    deps,
    job,
    context.org,
    rows,
    workerAudit(job, new Date(marker.reservedAt)),
    marker.roles ?? {},
    // Reserved just now: no earlier run wrote any of its rows (a replay finds the marker).
    existing === undefined,
  );
  const created = outcomes.filter((o): o is CreatedRow => 'created' in o);
  const skipped = [...marker.preSkipped, ...outcomes.filter((o): o is SkippedRow => 'code' in o)].sort(
    (a, b) => a.line - b.line,
  );
  await context.beforeSettle?.(chunkIndex);

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
      settleReservationStep(db, job.orgId, settledCounters(job, marker, created)),
      // The marker's condition makes this happen once per batch. A checkpoint written by a batch
      // that committed late may be behind another's: never ahead (Checkpoint), so no condition.
      importProgressStep(db, job, {
        nextChunk: context.checkpoint?.after(chunkIndex) ?? Math.max(job.nextChunk, chunkIndex + 1),
        processed: chunk.rows.length,
        created: created.length,
        skipped: skipped.length,
        skippedByReason: byReason,
        at: deps.clock().toISOString(),
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

/**
 * What settling a batch moves on the org's counters: the seats granted and not used go back,
 * the members created are counted, holders of org:manage among them (org_admin, or a custom role
 * that held it when its holders were reserved) are admins, and the reserved holders of each
 * custom role that no row took are given back.
 */
export function settledCounters(
  job: Pick<ImportJob, 'mode'>,
  marker: Pick<BatchMarker, 'granted' | 'roles'>,
  created: { role: Role }[],
): CounterDelta {
  const reserved = marker.roles ?? {};
  const add = job.mode === 'add';
  return {
    seats: created.length - marker.granted,
    members: add ? created.length : 0,
    admins: add ? created.filter((c) => c.role === ADMIN_ROLE || reserved[c.role]?.managesOrg === true).length : 0,
    roles: Object.fromEntries(
      Object.entries(reserved).map(([key, d]) => [
        key,
        { holders: created.filter((c) => c.role === key).length - d.holders, managesOrg: d.managesOrg },
      ]),
    ),
  };
}

const resolveTeam = (row: ImportRow, teams: Map<string, string>): ImportRow =>
  row.teamId || !row.teamName ? row : { ...row, teamId: teams.get(nameSortValue(row.teamName)) ?? null };

/**
 * Re-checks the batch's rows against the org as it is now (members and invitations made
 * since the preview, roles deleted since), then reserves a seat per remaining row, as many as
 * are free, in the transaction that puts the batch marker with the grant and which lines hold
 * the seats. The seat update is reserveSeats' (seatReservationUpdate in
 * shared/members/seat-reservation.ts), here joined to the marker's put: a reservation and its
 * record cannot be separated by a crash. In `add` mode the same update reserves the holders of
 * each custom role the granted rows give, conditioned on the role being as the worker read it
 * (roleHolderClauses); refused, the org item says how the roles are now, and rows whose role is
 * gone are skipped (`unknown_role`) rather than failing the import.
 */
async function reserveBatch(
  { db, clock }: ImportWorkerDeps,
  job: ImportJob,
  chunkIndex: number,
  rows: ImportRow[],
  maxSeatsSeen: number,
  customRolesSeen: CustomRoles,
): Promise<BatchMarker> {
  const preSkipped = await alreadyThere(db, job.orgId, rows);
  const skippedLines = new Set(preSkipped.map((s) => s.line));
  const fresh = rows.filter((r) => !skippedLines.has(r.line));
  let maxSeats = maxSeatsSeen;
  let customRoles = customRolesSeen;
  let seatsUsed: number | undefined;
  for (let attempt = 1; attempt <= RESERVATION_ATTEMPTS; attempt++) {
    const roleGone = fresh
      .filter((r) => !roleDefinition(customRoles, r.role))
      .map((r) => ({
        line: r.line,
        code: 'unknown_role' as const,
        message: `The role ${r.role} was deleted during the import`,
      }));
    const candidates = fresh.filter((r) => roleDefinition(customRoles, r.role));
    const ask = seatsUsed === undefined ? candidates.length : seatsToGrant({ maxSeats, seatsUsed }, candidates.length);
    const granted = candidates.slice(0, ask);
    const roles = job.mode === 'add' ? roleHoldersOf(granted, customRoles) : {};
    const now = clock();
    const noSeat = candidates
      .slice(ask)
      .map((r) => ({ line: r.line, code: 'seat_limit_reached' as const, message: `Seat limit reached (${maxSeats})` }));
    const marker: BatchMarker = {
      chunk: chunkIndex,
      granted: ask,
      eligible: granted.map((r) => r.line),
      preSkipped: [...preSkipped, ...roleGone, ...noSeat].sort((a, b) => a.line - b.line),
      reservedAt: now.toISOString(),
      roles,
      settled: false,
      created: [],
      skipped: [],
    };
    const ttl = Math.floor(now.getTime() / 1000) + IMPORT_RETENTION_SECONDS;
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
        update(
          db,
          withRoleHolders(seatReservationUpdate(job.orgId, ask, maxSeats), roles),
          (current) => new SeatsMovedError(current),
        ),
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
      seatsUsed = Number(error.current.seatsUsed);
      customRoles = (error.current.customRoles ?? {}) as CustomRoles;
    }
  }
  throw new ConcurrentModificationError();
}

/** Holders of each custom role the rows give, with whether the role holds org:manage in `customRoles`. */
function roleHoldersOf(rows: ImportRow[], customRoles: CustomRoles): Record<string, RoleHolderDelta> {
  const out: Record<string, RoleHolderDelta> = {};
  for (const row of rows) {
    if (isBuiltInRole(row.role)) continue;
    const held = out[row.role] ?? { holders: 0, managesOrg: roleManagesOrg(customRoles, row.role) };
    out[row.role] = { ...held, holders: held.holders + 1 };
  }
  return out;
}

/** The seat reservation's update, also moving custom roles' holders (conditioned as roleHolderClauses says). */
function withRoleHolders(
  base: ReturnType<typeof seatReservationUpdate>,
  roles: Record<string, RoleHolderDelta>,
): Parameters<typeof update>[1] {
  const entries = Object.entries(roles).filter(([, d]) => d.holders !== 0);
  if (entries.length === 0) return base;
  const clauses = roleHolderClauses(entries);
  return {
    key: base.key,
    updateExpression: [base.updateExpression, ...clauses.sets].join(', '),
    condition: [base.condition, ...clauses.conditions].join(' AND '),
    names: clauses.names,
    values: { ...base.values, ...clauses.values },
  };
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
