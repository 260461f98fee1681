import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { updateReturningNew, writeStep } from '../data/conditional-write.js';
import type { Database } from '../data/dynamo-client.js';
import { importBatchKey, importJobKey } from '../data/keys.js';
import { put, update, type TransactionStep } from '../data/transactions.js';
import type { DomainError } from '../errors.js';
import { IMPORT_BATCH_ENTITY, jobFromItem, type BatchMarker, type SkippedRow } from './import-repository.js';
import type { ImportJob, ImportOrigin, RowCode } from './import-job.js';
import { LEASE_NAMES, LEASE_REMOVE, LEASE_SET, leaseValues } from './import-lease.js';

/**
 * The import job's state transitions (commit, claim, lease, hand-over, settle, finish), each a
 * conditional write or a step of the caller's transaction. The conditions are the import's
 * concurrency rules: a run owns the job while `runSeq` is its own; a batch settles once.
 */

type JobRef = Pick<ImportJob, 'orgId' | 'importId'>;
type OnFailed = () => DomainError;

const STATUS = { '#status': 'status' };

/** The job, strongly consistent, with no expiry check (the worker and the sweeper act on any job they find). */
export async function readImportJob(db: Database, orgId: string, importId: string): Promise<ImportJob | undefined> {
  const { Item } = await db.client.send(
    new GetCommand({ TableName: db.tableName, Key: importJobKey(orgId, importId), ConsistentRead: true }),
  );
  return Item ? jobFromItem(Item) : undefined;
}

/** Validated → queued with the committing admin and a pickup lease; runSeq moves on so the stream starts a worker. */
export function commitImportStep(
  db: Database,
  job: JobRef,
  origin: ImportOrigin,
  at: string,
  leaseUntil: Date,
  onFailed: OnFailed,
): TransactionStep {
  return update(
    db,
    {
      key: importJobKey(job.orgId, job.importId),
      updateExpression: `SET #status = :queued, committedBy = :origin, committedAt = :now, updatedAt = :now, runSeq = runSeq + :one, ${LEASE_SET}`,
      condition: '#status = :validated',
      names: { ...STATUS, ...LEASE_NAMES },
      values: {
        ':queued': 'queued',
        ':validated': 'validated',
        ':origin': origin,
        ':now': at,
        ':one': 1,
        ...leaseValues(job.orgId, job.importId, leaseUntil),
      },
    },
    onFailed,
  );
}

/** A validated (never committed) import cancelled at once. */
export function cancelValidatedImportStep(db: Database, job: JobRef, at: string, onFailed: OnFailed): TransactionStep {
  return update(
    db,
    {
      key: importJobKey(job.orgId, job.importId),
      updateExpression: 'SET #status = :cancelled, finishedAt = :now, updatedAt = :now',
      condition: '#status = :validated',
      names: STATUS,
      values: { ':cancelled': 'cancelled', ':validated': 'validated', ':now': at },
    },
    onFailed,
  );
}

/** A queued or running import flagged for its worker to stop before its next batch. */
export function requestImportCancelStep(db: Database, job: JobRef, at: string, onFailed: OnFailed): TransactionStep {
  return update(
    db,
    {
      key: importJobKey(job.orgId, job.importId),
      updateExpression: 'SET cancelRequested = :true, updatedAt = :now',
      condition: '#status IN (:queued, :running)',
      names: STATUS,
      values: { ':true': true, ':queued': 'queued', ':running': 'running', ':now': at },
    },
    onFailed,
  );
}

/** The run takes the job (running, under its lease); undefined when runSeq moved on or the job ended (a stale run). */
export async function claimImportRun(
  db: Database,
  job: JobRef,
  runSeq: number,
  leaseUntil: Date,
  now: Date,
): Promise<ImportJob | undefined> {
  const item = await updateReturningNew(
    db,
    update(db, {
      key: importJobKey(job.orgId, job.importId),
      updateExpression: `SET #status = :running, updatedAt = :now, ${LEASE_SET}`,
      condition: 'runSeq = :seq AND #status IN (:queued, :running)',
      names: { ...STATUS, ...LEASE_NAMES },
      values: {
        ':running': 'running',
        ':queued': 'queued',
        ':seq': runSeq,
        ':now': now.toISOString(),
        ...leaseValues(job.orgId, job.importId, leaseUntil),
      },
    }),
  );
  return item && jobFromItem(item);
}

/** The job, with this run's lease moved on; undefined when the run no longer owns it (the sweeper took over). */
export async function renewImportLease(
  db: Database,
  job: JobRef,
  runSeq: number,
  until: Date,
): Promise<ImportJob | undefined> {
  const item = await updateReturningNew(
    db,
    update(db, {
      key: importJobKey(job.orgId, job.importId),
      updateExpression: `SET ${LEASE_SET}`,
      condition: 'runSeq = :seq AND #status = :running',
      names: { ...STATUS, ...LEASE_NAMES },
      values: { ':seq': runSeq, ':running': 'running', ...leaseValues(job.orgId, job.importId, until) },
    }),
  );
  return item && jobFromItem(item);
}

/** The run hands the job back to the queue at its checkpoint (a new runSeq starts the next worker); false when stale. */
export function handOverImport(
  db: Database,
  job: JobRef,
  runSeq: number,
  nextChunk: number,
  leaseUntil: Date,
  now: Date,
): Promise<boolean> {
  return writeStep(
    db,
    update(db, {
      key: importJobKey(job.orgId, job.importId),
      updateExpression: `SET #status = :queued, runSeq = runSeq + :one, nextChunk = :next, updatedAt = :now, ${LEASE_SET}`,
      condition: 'runSeq = :seq',
      names: { ...STATUS, ...LEASE_NAMES },
      values: {
        ':queued': 'queued',
        ':one': 1,
        ':next': nextChunk,
        ':seq': runSeq,
        ':now': now.toISOString(),
        ...leaseValues(job.orgId, job.importId, leaseUntil),
      },
    }),
  );
}

/**
 * The sweeper takes a job whose lease ran out from any worker: `next` status under a new runSeq,
 * conditioned on the lease it saw; false when a worker renewed it or another sweeper acted first.
 */
export function takeStuckImport(
  db: Database,
  job: Pick<ImportJob, 'orgId' | 'importId' | 'runSeq' | 'leaseUntil'>,
  next: 'queued' | 'cancelled' | 'failed',
  resumes: number,
  leaseUntil: Date,
  now: Date,
): Promise<boolean> {
  return writeStep(
    db,
    update(db, {
      key: importJobKey(job.orgId, job.importId),
      updateExpression: `SET #status = :next, runSeq = runSeq + :one, resumes = :resumes, updatedAt = :now, ${LEASE_SET}`,
      condition: 'runSeq = :seq AND leaseUntil = :seen',
      names: { ...STATUS, ...LEASE_NAMES },
      values: {
        ':next': next,
        ':one': 1,
        ':resumes': resumes,
        ':now': now.toISOString(),
        ':seq': job.runSeq,
        ':seen': job.leaseUntil,
        ...leaseValues(job.orgId, job.importId, leaseUntil),
      },
    }),
  );
}

/** The running job's final status and checkpoint, its lease dropped; only while this run still owns it. */
export function finishImportStep(
  db: Database,
  job: Pick<ImportJob, 'orgId' | 'importId' | 'runSeq'>,
  status: 'completed' | 'cancelled',
  nextChunk: number,
  at: string,
  onFailed: OnFailed,
): TransactionStep {
  return update(
    db,
    {
      key: importJobKey(job.orgId, job.importId),
      updateExpression: `SET #status = :status, nextChunk = :next, finishedAt = :now, updatedAt = :now ${LEASE_REMOVE}`,
      condition: 'runSeq = :seq AND #status = :running',
      names: { ...STATUS, ...LEASE_NAMES },
      values: { ':status': status, ':next': nextChunk, ':now': at, ':seq': job.runSeq, ':running': 'running' },
    },
    onFailed,
  );
}

/** The sweeper's end of an ended (cancelled, failed) job: its lease dropped, once, conditioned on the lease it saw. */
export function endStuckImportStep(
  db: Database,
  job: Pick<ImportJob, 'orgId' | 'importId' | 'runSeq' | 'leaseUntil'>,
  at: string,
  onFailed: OnFailed,
): TransactionStep {
  return update(
    db,
    {
      key: importJobKey(job.orgId, job.importId),
      updateExpression: `SET finishedAt = :now, updatedAt = :now ${LEASE_REMOVE}`,
      condition: 'runSeq = :seq AND leaseUntil = :seen',
      names: LEASE_NAMES,
      values: { ':now': at, ':seq': job.runSeq, ':seen': job.leaseUntil },
    },
    onFailed,
  );
}

/** The batch marker with its seat grant, put once (a second run finds it). */
export function batchMarkerStep(db: Database, importId: string, marker: BatchMarker, ttl: number, onFailed: OnFailed) {
  return put(
    db,
    { ...importBatchKey(importId, marker.chunk), entity: IMPORT_BATCH_ENTITY, importId, ...marker, ttl },
    'attribute_not_exists(PK)',
    onFailed,
  );
}

/** The batch marker marked settled with its outcomes, once. */
export function settleBatchMarkerStep(
  db: Database,
  importId: string,
  chunk: number,
  outcome: { created: number[]; skipped: SkippedRow[] },
  onFailed: OnFailed,
): TransactionStep {
  return update(
    db,
    {
      key: importBatchKey(importId, chunk),
      updateExpression: 'SET settled = :true, #created = :created, #skipped = :skipped',
      condition: 'settled = :false',
      names: { '#created': 'created', '#skipped': 'skipped' },
      values: { ':true': true, ':false': false, ':created': outcome.created, ':skipped': outcome.skipped },
    },
    onFailed,
  );
}

/**
 * A settled batch's progress on the job: the checkpoint and the counters (skips also by reason).
 * No condition: the batch marker's condition in the same transaction makes it happen once.
 */
export function importProgressStep(
  db: Database,
  job: JobRef,
  progress: {
    nextChunk: number;
    processed: number;
    created: number;
    skipped: number;
    skippedByReason?: ReadonlyMap<RowCode, number>;
    at: string;
  },
): TransactionStep {
  // Counter names such as `processed` are DynamoDB reserved words: every one goes through a name placeholder.
  const names: Record<string, string> = { '#processed': 'processed', '#created': 'created', '#skipped': 'skipped' };
  const reasonValues: Record<string, unknown> = {};
  const reasonSets = [...(progress.skippedByReason ?? [])].map(([code, n], i) => {
    names[`#r${i}`] = code;
    reasonValues[`:r${i}`] = n;
    return `skippedByReason.#r${i} = if_not_exists(skippedByReason.#r${i}, :zero) + :r${i}`;
  });
  return update(db, {
    key: importJobKey(job.orgId, job.importId),
    updateExpression: [
      'SET nextChunk = :next, #processed = #processed + :processed, #created = #created + :created, #skipped = #skipped + :skipped, updatedAt = :now',
      ...reasonSets,
    ].join(', '),
    names,
    values: {
      ...reasonValues,
      ':next': progress.nextChunk,
      ':processed': progress.processed,
      ':created': progress.created,
      ':skipped': progress.skipped,
      ':now': progress.at,
      ...(reasonSets.length > 0 ? { ':zero': 0 } : {}),
    },
  });
}
