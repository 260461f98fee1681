import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { auditStep, type AuditContext } from '../audit/audit-event.js';
import { batchGetConsistent } from '../data/batch-get.js';
import type { Database } from '../data/dynamo-client.js';
import { emailClaimKey, importBatchKey, importJobKey, importRowKey, membershipKey, nameSortValue, pendingInvitationClaimKey, teamNameClaimKey } from '../data/keys.js';
import { getOrg } from '../data/org-repository.js';
import { put, transactWrite, update, type TransactionStep } from '../data/transactions.js';
import { userRecordSteps } from '../data/user-repository.js';
import { ConcurrentModificationError, ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { IdentityPort } from '../identity/identity-port.js';
import { newInvitationSteps } from '../invitations/create-invitations.js';
import { teamExistsStep } from '../members/add-member.js';
import { newMembership } from '../members/membership.js';
import { membershipToItem } from '../data/membership-repository.js';
import { seatReservationUpdate, settleReservationStep } from '../members/seat-reservation.js';
import type { Org } from '../orgs/org.js';
import { ADMIN_ROLE } from '../roles.js';
import { createTeam } from '../teams/create-team.js';
import { inBatches, mapBounded } from './concurrency.js';
import { IMPORT_RETENTION_SECONDS, type ImportJob, type ImportRow, type RowCode } from './import-job.js';
import { getBatchMarker, getChunk, IMPORT_BATCH_ENTITY, IMPORT_ROW_ENTITY, jobFromItem, type BatchMarker, type SkippedRow } from './import-repository.js';

export interface ImportWorkerDeps {
  db: Database;
  identity: IdentityPort;
  appUrl: string;
}

/** Rows written at once within a batch: their transactions touch no shared item, so they run side by side. */
export const ROWS_IN_FLIGHT = 16;
/** Attempts for a row whose transaction lost a race (same person added elsewhere meanwhile). */
const ROW_ATTEMPTS = 3;
/** Attempts at reserving a batch's seats while other writers keep moving the counter. */
const RESERVATION_ATTEMPTS = 8;

export interface RunOptions {
  /** True when the invocation should hand over to a fresh one (Lambda time running out). */
  shouldStop?: () => boolean;
  /** Test seam: runs after a batch's rows are written and before it settles (a crash there is what a replay must survive). */
  beforeSettle?: (chunk: number) => Promise<void>;
}

export type RunResult = 'stale' | 'completed' | 'cancelled' | 'handed_over';

/**
 * The import worker: claims a queued import (the stream record's runSeq must still be the
 * job's, so a stale or duplicate record does nothing), creates the teams it needs, then
 * processes the chunks from the checkpoint on, one batch per chunk, honouring a cancel between
 * batches. Near its timeout it re-queues the import under a new runSeq: the stream starts a
 * fresh invocation that resumes at the checkpoint.
 */
export async function runImport(deps: ImportWorkerDeps, orgId: string, importId: string, runSeq: number, options: RunOptions = {}): Promise<RunResult> {
  const { db } = deps;
  let job: ImportJob;
  try {
    const out = await db.client.send(
      new UpdateCommand({
        TableName: db.tableName,
        Key: importJobKey(orgId, importId),
        UpdateExpression: 'SET #status = :running, updatedAt = :now',
        ConditionExpression: 'runSeq = :seq AND #status IN (:queued, :running)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':running': 'running', ':queued': 'queued', ':seq': runSeq, ':now': new Date().toISOString() },
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

  for (let chunk = job.nextChunk; chunk < job.chunkCount; chunk++) {
    const current = await readJob(db, orgId, importId);
    if (current.cancelRequested) return finish(db, current, 'cancelled');
    if (options.shouldStop?.()) {
      await db.client.send(
        new UpdateCommand({
          TableName: db.tableName,
          Key: importJobKey(orgId, importId),
          UpdateExpression: 'SET #status = :queued, runSeq = runSeq + :one, updatedAt = :now',
          ConditionExpression: 'runSeq = :seq',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':queued': 'queued', ':one': 1, ':seq': runSeq, ':now': new Date().toISOString() },
        }),
      );
      return 'handed_over';
    }
    await processBatch(deps, current, chunk, { org, teams, ...(options.beforeSettle ? { beforeSettle: options.beforeSettle } : {}) });
  }
  return finish(db, await readJob(db, orgId, importId), 'completed');
}

async function readJob(db: Database, orgId: string, importId: string): Promise<ImportJob> {
  const { Item } = await db.client.send(new GetCommand({ TableName: db.tableName, Key: importJobKey(orgId, importId), ConsistentRead: true }));
  if (!Item) throw new NotFoundError('No such import');
  return jobFromItem(Item);
}

/** The worker's audit context: the admin who committed, from where they did it, now. */
export function workerAudit(job: ImportJob): AuditContext {
  const origin = job.committedBy ?? job.createdBy;
  return { actor: origin.actor, ip: origin.ip, userAgent: origin.userAgent, requestId: origin.requestId, now: new Date() };
}

/** The final status and the import's own audit event, in one transaction. */
async function finish(db: Database, job: ImportJob, status: 'completed' | 'cancelled'): Promise<RunResult> {
  const audit = workerAudit(job);
  const at = audit.now.toISOString();
  await transactWrite(db, [
    update(
      db,
      {
        key: importJobKey(job.orgId, job.importId),
        updateExpression: 'SET #status = :status, finishedAt = :now, updatedAt = :now',
        condition: 'runSeq = :seq AND #status = :running',
        names: { '#status': 'status' },
        values: { ':status': status, ':now': at, ':seq': job.runSeq, ':running': 'running' },
      },
      () => new ConcurrentModificationError('The import changed while it finished'),
    ),
    auditStep(
      db,
      {
        orgId: job.orgId,
        action: `import.${status}`,
        target: { type: 'import', id: job.importId },
        after: { mode: job.mode, rows: job.counts.rows, toImport: job.counts.toImport, rejected: job.counts.rejected, processed: job.processed, created: job.created, skipped: job.skipped, skippedByReason: job.skippedByReason },
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
      const { Item } = await db.client.send(new GetCommand({ TableName: db.tableName, Key: teamNameClaimKey(job.orgId, name), ConsistentRead: true }));
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
 * 2. each granted row in its own small transaction that does not touch the org item, with a
 *    row marker (attribute_not_exists; in `add` mode the membership itself, naming the import) so a
 *    replayed row is recognised, not imported twice;
 * 3. one settle transaction: the marker marked settled with the outcomes, the unused seats
 *    released and the created members counted (settleReservationStep), and the import's
 *    checkpoint and progress moved. A settled batch replayed does nothing.
 */
export async function processBatch(deps: ImportWorkerDeps, job: ImportJob, chunkIndex: number, context: BatchContext): Promise<BatchResult> {
  const { db } = deps;
  const existing = await getBatchMarker(db, job.importId, chunkIndex);
  if (existing?.settled) return { replayed: true, marker: existing };
  const chunk = await getChunk(db, job.importId, chunkIndex);
  const marker = existing ?? (await reserveBatch(db, job, chunkIndex, chunk.rows, context.org.maxSeats));

  const eligible = new Set(marker.eligible);
  const audit = workerAudit(job);
  const outcomes = await mapBounded(
    chunk.rows.filter((row) => eligible.has(row.line)),
    ROWS_IN_FLIGHT,
    (row) => importRow(deps, job, context, resolveTeam(row, context.teams), audit),
  );
  const created = outcomes.filter((o): o is CreatedRow => 'created' in o);
  const skipped = [...marker.preSkipped, ...outcomes.filter((o): o is SkippedRow => 'code' in o)].sort((a, b) => a.line - b.line);
  await context.beforeSettle?.(chunkIndex);

  const admins = job.mode === 'add' ? created.filter((c) => c.role === ADMIN_ROLE).length : 0;
  const byReason = new Map<RowCode, number>();
  for (const s of skipped) byReason.set(s.code, (byReason.get(s.code) ?? 0) + 1);
  // Counter names such as `processed` are DynamoDB reserved words: every one goes through a name placeholder.
  const reasonNames: Record<string, string> = { '#processed': 'processed', '#created': 'created', '#skipped': 'skipped' };
  const reasonValues: Record<string, unknown> = {};
  const reasonSets = [...byReason].map(([code, n], i) => {
    reasonNames[`#r${i}`] = code;
    reasonValues[`:r${i}`] = n;
    return `skippedByReason.#r${i} = if_not_exists(skippedByReason.#r${i}, :zero) + :r${i}`;
  });
  const settled: BatchMarker = { ...marker, settled: true, created: created.map((c) => c.line).sort((a, b) => a - b), skipped };
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
      settleReservationStep(db, job.orgId, { seats: created.length - marker.granted, members: job.mode === 'add' ? created.length : 0, admins }),
      update(db, {
        key: importJobKey(job.orgId, job.importId),
        updateExpression: ['SET nextChunk = :next, #processed = #processed + :processed, #created = #created + :created, #skipped = #skipped + :skipped, updatedAt = :now', ...reasonSets].join(', '),
        condition: 'nextChunk = :chunk',
        names: reasonNames,
        values: { ...reasonValues, ':next': chunkIndex + 1, ':chunk': chunkIndex, ':processed': chunk.rows.length, ':created': created.length, ':skipped': skipped.length, ':now': new Date().toISOString(), ...(reasonSets.length > 0 ? { ':zero': 0 } : {}) },
      }),
    ]);
  } catch (error) {
    if (error instanceof ConflictError && error.code === 'batch_settled') return { replayed: true, marker: (await getBatchMarker(db, job.importId, chunkIndex))! };
    throw error;
  }
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
async function reserveBatch(db: Database, job: ImportJob, chunkIndex: number, rows: ImportRow[], maxSeatsSeen: number): Promise<BatchMarker> {
  const preSkipped = await alreadyThere(db, job.orgId, rows);
  const skippedLines = new Set(preSkipped.map((s) => s.line));
  const candidates = rows.filter((r) => !skippedLines.has(r.line));
  let maxSeats = maxSeatsSeen;
  let ask = candidates.length;
  for (let attempt = 1; attempt <= RESERVATION_ATTEMPTS; attempt++) {
    const noSeat = candidates.slice(ask).map((r) => ({ line: r.line, code: 'seat_limit_reached' as const, message: `Seat limit reached (${maxSeats})` }));
    const marker: BatchMarker = { chunk: chunkIndex, granted: ask, eligible: candidates.slice(0, ask).map((r) => r.line), preSkipped: [...preSkipped, ...noSeat], settled: false, created: [], skipped: [] };
    const ttl = Math.floor(Date.now() / 1000) + IMPORT_RETENTION_SECONDS;
    const steps: TransactionStep[] = [
      put(db, { ...importBatchKey(job.importId, chunkIndex), entity: IMPORT_BATCH_ENTITY, importId: job.importId, ...marker, ttl }, 'attribute_not_exists(PK)', () => new ConflictError('The batch was reserved by another run', 'batch_reserved')),
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
      if (error instanceof ConflictError && error.code === 'batch_reserved') return (await getBatchMarker(db, job.importId, chunkIndex))!;
      if (!(error instanceof SeatsMovedError)) throw error;
      if (!error.current) throw new NotFoundError('No such organization');
      maxSeats = Number(error.current.maxSeats);
      ask = Math.max(0, Math.min(candidates.length, maxSeats - Number(error.current.seatsUsed)));
    }
  }
  throw new ConcurrentModificationError();
}

/** Rows whose person became a member, or was invited, since the preview: BatchGets, 100 keys a call. */
async function alreadyThere(db: Database, orgId: string, rows: ImportRow[]): Promise<SkippedRow[]> {
  const byEmail = new Map(rows.map((r) => [r.email, r]));
  const get = async (keys: ReturnType<typeof emailClaimKey>[]) => (await Promise.all(inBatches(keys, 100).map((batch) => batchGetConsistent(db, batch)))).flat();
  const [claims, pending] = await Promise.all([get(rows.map((r) => emailClaimKey(r.email))), get(rows.map((r) => pendingInvitationClaimKey(orgId, r.email)))]);
  const emailOf = new Map(claims.map((c) => [c.userId as string, c.email as string]));
  const members = await get([...emailOf.keys()].map((userId) => membershipKey(orgId, userId)));
  const skipped = new Map<number, SkippedRow>();
  for (const m of members) {
    const row = byEmail.get(emailOf.get(m.userId as string) ?? '');
    if (row) skipped.set(row.line, { line: row.line, code: 'already_member', message: `${row.email} is already a member` });
  }
  for (const p of pending) {
    const row = byEmail.get(p.email as string);
    if (row && !skipped.has(row.line)) skipped.set(row.line, { line: row.line, code: 'already_invited', message: `${row.email} already has a pending invitation` });
  }
  return [...skipped.values()];
}

interface CreatedRow {
  line: number;
  created: true;
  role: ImportRow['role'];
}

/** The row's own transaction, retried when it only lost a race; a refusal becomes a skipped row. */
async function importRow(deps: ImportWorkerDeps, job: ImportJob, context: BatchContext, row: ImportRow, audit: AuditContext): Promise<CreatedRow | SkippedRow> {
  for (let attempt = 1; ; attempt++) {
    try {
      await (job.mode === 'add' ? addRow(deps, job, row, audit) : inviteRow(deps, job, context.org, row, audit));
      return { line: row.line, created: true, role: row.role };
    } catch (error) {
      if (error instanceof ConflictError && error.code === 'import_row_done') return { line: row.line, created: true, role: row.role };
      if (error instanceof ConcurrentModificationError && attempt < ROW_ATTEMPTS) continue;
      const skip = skippedFor(row, error);
      if (skip) return skip;
      throw error;
    }
  }
}

function skippedFor(row: ImportRow, error: unknown): SkippedRow | undefined {
  if (error instanceof ConcurrentModificationError) return { line: row.line, code: 'concurrent_modification', message: error.message };
  if (error instanceof ConflictError && ['already_member', 'already_invited', 'email_taken'].includes(error.code)) return { line: row.line, code: error.code as RowCode, message: error.message };
  if (error instanceof ValidationError) return { line: row.line, code: 'unknown_team', message: 'The team was deleted during the import' };
  return undefined;
}

/** Written in the row's transaction: a replayed row fails here and is known to be done. */
function rowDoneStep(db: Database, job: ImportJob, row: ImportRow, target: { userId?: string; invitationId?: string }): TransactionStep {
  const item = { ...importRowKey(job.importId, row.line), entity: IMPORT_ROW_ENTITY, importId: job.importId, line: row.line, ...target, ttl: job.ttl };
  return put(db, item, 'attribute_not_exists(PK)', () => new ConflictError('The row was imported by an earlier run', 'import_row_done'));
}

/**
 * `add` mode: the add-member building blocks without the org item (the batch holds the seat).
 * In AWS, ensureUser is Cognito's AdminCreateUser (+ AdminGetUser): the UserCreation category
 * is 50 requests per second per account and Region by default, shared with every sign-up, so a
 * 10,000-row `add` import takes minutes there whatever this worker does, and 16 rows in flight
 * can exceed it. The SDK retries throttled calls; one still throttled fails the batch, which the
 * stream retries (rows already written are not redone). Not built: a token bucket sized to the
 * account's quota in front of ensureUser, for large `add` imports.
 */
async function addRow(deps: ImportWorkerDeps, job: ImportJob, row: ImportRow, audit: AuditContext): Promise<void> {
  const { db } = deps;
  const identity = await deps.identity.ensureUser({ email: row.email, name: row.name });
  const { user, steps: userSteps } = await userRecordSteps(db, identity, row, audit.now);
  const membership = newMembership(
    // Added by an admin, through a file rather than the form; the audit event names the import.
    { orgId: job.orgId, userId: identity.userId, name: row.name, email: user?.email ?? row.email, role: row.role, teamId: row.teamId, source: 'manual' },
    audit.now,
  );
  await transactWrite(db, [
    // The membership is the row's done-marker too (one item fewer per row than a marker of its
    // own): it names the import, so a replayed row that finds it knows it was imported here.
    put(db, { ...membershipToItem(membership), importId: job.importId }, 'attribute_not_exists(PK)', (current) =>
      current?.importId === job.importId ? new ConflictError('The row was imported by an earlier run', 'import_row_done') : new ConflictError(`${membership.email} is already a member`, 'already_member'),
    ),
    ...userSteps,
    ...(row.teamId ? [teamExistsStep(db, job.orgId, row.teamId)] : []),
    auditStep(
      db,
      { orgId: job.orgId, action: 'member.added', target: { type: 'member', id: identity.userId }, after: { email: membership.email, name: membership.name, role: membership.role, teamId: membership.teamId, status: membership.status, source: membership.source, importId: job.importId } },
      audit,
    ),
  ]);
}

/** `invite` mode: the invitation building blocks (claim, invitation, token, outbox mail, audit) without the org item. */
async function inviteRow(deps: ImportWorkerDeps, job: ImportJob, org: Org, row: ImportRow, audit: AuditContext): Promise<void> {
  const { db } = deps;
  const inviter = (job.committedBy ?? job.createdBy).inviter;
  const { invitation, steps } = newInvitationSteps(db, {
    org,
    request: { email: row.email, role: row.role, teamId: row.teamId, message: null, inviter },
    appUrl: deps.appUrl,
    audit,
    auditAfter: { importId: job.importId },
  });
  await transactWrite(db, [rowDoneStep(db, job, row, { invitationId: invitation.invitationId }), ...steps]);
}

