import { auditStep } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { nameSortValue } from '../data/keys.js';
import { getOrg } from '../orgs/org-repository.js';
import { transactWrite } from '../data/transactions.js';
import { ConcurrentModificationError, ConflictError, NotFoundError } from '../errors.js';
import { createTeam } from '../teams/create-team.js';
import { findTeamIdByName } from '../teams/team-repository.js';
import { Checkpoint, processBatch, type BatchContext } from './import-batch.js';
import { workerAudit, type ImportJob } from './import-job.js';
import {
  claimImportRun,
  finishImportStep,
  handOverImport,
  readImportJob,
  renewImportLease,
} from './import-job-repository.js';
import { LEASE_GRACE_MS, pickupLeaseUntil, WORKER_TIMEOUT_MS } from './import-lease.js';
import type { ImportWorkerDeps } from './import-rows.js';

/**
 * Batches of one import processed at once, each with its own seat reservation: time then falls
 * with DynamoDB's capacity, not only with its latency. The org item (reservation, settle) is the
 * one item they share: BATCHES_IN_FLIGHT writers at most, retried on TransactionConflict.
 */
export const BATCHES_IN_FLIGHT = 3;

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
  const ref = { orgId, importId };
  const job = await claimImportRun(db, ref, runSeq, workerLeaseUntil(deps, options), deps.clock());
  if (!job) return 'stale';
  const org = await getOrg(db, orgId, true);
  if (!org) throw new NotFoundError('No such organization');
  const teams = await ensureTeams(deps, job);
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
      const current = await renewImportLease(db, ref, runSeq, workerLeaseUntil(deps, options));
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
  if (stop === 'cancelled')
    return finish(deps, await readJobToFinish(db, orgId, importId), 'cancelled', checkpoint.next);
  if (stop === 'handed_over') {
    const now = deps.clock();
    if (!(await handOverImport(db, ref, runSeq, checkpoint.next, pickupLeaseUntil(now.getTime()), now))) return 'stale';
    return 'handed_over';
  }
  return finish(deps, await readJobToFinish(db, orgId, importId), 'completed', checkpoint.next);
}

async function readJobToFinish(db: Database, orgId: string, importId: string): Promise<ImportJob> {
  const job = await readImportJob(db, orgId, importId);
  if (!job) throw new NotFoundError('No such import');
  return job;
}

/** The running worker's lease: the rest of its invocation and a grace, so it outlives the invocation. */
const workerLeaseUntil = (deps: ImportWorkerDeps, options: RunOptions): Date =>
  new Date(deps.clock().getTime() + (options.remainingMs?.() ?? WORKER_TIMEOUT_MS) + LEASE_GRACE_MS);

/** The final status (with the checkpoint as the run left it) and the import's own audit event, in one transaction. */
async function finish(
  { db, clock }: ImportWorkerDeps,
  job: ImportJob,
  status: 'completed' | 'cancelled',
  nextChunk: number,
): Promise<RunResult> {
  const audit = workerAudit(job, clock());
  const at = audit.now.toISOString();
  await transactWrite(db, [
    finishImportStep(
      db,
      job,
      status,
      nextChunk,
      at,
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
async function ensureTeams({ db, clock }: ImportWorkerDeps, job: ImportJob): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const name of job.newTeams) {
    try {
      const team = await createTeam(db, job.orgId, { name }, workerAudit(job, clock()));
      ids.set(nameSortValue(name), team.teamId);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      // Created meanwhile (by an admin, or by an earlier run of this import): use that team.
      const teamId = await findTeamIdByName(db, job.orgId, name);
      if (!teamId) throw error;
      ids.set(nameSortValue(name), teamId);
    }
  }
  return ids;
}
