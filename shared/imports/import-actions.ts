import { auditStep, type AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { transactWrite } from '../data/transactions.js';
import { ConflictError, ForbiddenError } from '../errors.js';
import type { Membership } from '../members/membership.js';
import type { Org } from '../orgs/org.js';
import { mayGrantRole } from '../roles.js';
import { inviterOf } from '../invitations/create-invitations.js';
import { csvRow } from '../members/export-members.js';
import { getImportJob, batchFromItem, queryImportItems, type BatchMarker } from './import-repository.js';
import type { ImportJob, ImportOrigin, ImportRow, RejectedRow } from './import-job.js';
import { cancelValidatedImportStep, commitImportStep, requestImportCancelStep } from './import-job-repository.js';
import { pickupLeaseUntil } from './import-lease.js';
import { recoverImport } from './recover-import.js';

/** A preview can be committed until one day before its items expire (IMPORT_RETENTION_SECONDS). */
const COMMIT_WINDOW_END_MS = 24 * 3600 * 1000;

const notCommittable = (job: ImportJob) =>
  new ConflictError(
    `The import is ${job.status}${job.status === 'validated' ? '' : '; only a validated import can be committed'}`,
    'import_not_committable',
  );

/**
 * Commits a validated import: `queued`, with the committing admin recorded for the rows'
 * audit events. The status change on the table stream starts the worker (202: it runs on).
 * The committer must be able to give every role the rows give (403 role_escalation): someone
 * else's preview does not let a member manager import admins.
 */
export async function commitImport(
  db: Database,
  org: Pick<Org, 'orgId' | 'customRoles'>,
  importId: string,
  origin: ImportOrigin,
  now: Date,
  actor?: Pick<Membership, 'role'>,
): Promise<ImportJob> {
  const job = await getImportJob(db, org.orgId, importId);
  if (job.status !== 'validated') throw notCommittable(job);
  const beyond = actor ? (job.roles ?? []).filter((role) => !mayGrantRole(org.customRoles, actor.role, role)) : [];
  if (beyond.length > 0)
    throw new ForbiddenError(
      `You cannot give the role ${beyond.join(', ')} this import gives: it holds permissions your role lacks`,
      'role_escalation',
    );
  if (job.counts.toImport === 0)
    throw new ConflictError('No row of this file can be imported; see the errors', 'nothing_to_import');
  // The worker needs the chunks for a while yet, and a week-old preview says little about the org today.
  if (job.ttl * 1000 - now.getTime() < COMMIT_WINDOW_END_MS)
    throw new ConflictError('The preview is too old to commit; upload the file again', 'import_expired');
  const at = now.toISOString();
  await transactWrite(db, [
    commitImportStep(db, job, origin, at, pickupLeaseUntil(now.getTime()), () =>
      notCommittable({ ...job, status: 'queued' }),
    ),
  ]);
  return { ...job, status: 'queued', committedBy: origin, committedAt: at, updatedAt: at, runSeq: job.runSeq + 1 };
}

/**
 * Cancels an import. A validated one is cancelled at once (with its audit event); a queued or
 * running one is flagged, and the worker stops before its next batch: rows already imported
 * stay imported. One whose worker is dead (its lease ran out) is cancelled here and now, as
 * the seat sweeper would (recoverImport). A finished import cannot be cancelled.
 */
export async function cancelImport(
  db: Database,
  orgId: string,
  importId: string,
  audit: AuditContext,
): Promise<ImportJob> {
  const job = await getImportJob(db, orgId, importId);
  const at = audit.now.toISOString();
  const finished = () => new ConflictError(`The import is already ${job.status}`, 'import_finished');
  if (job.status === 'validated') {
    await transactWrite(db, [
      cancelValidatedImportStep(
        db,
        job,
        at,
        () =>
          new ConflictError('The import was committed meanwhile; cancel again to stop it', 'concurrent_modification'),
      ),
      auditStep(
        db,
        {
          orgId,
          action: 'import.cancelled',
          target: { type: 'import', id: importId },
          after: { mode: job.mode, rows: job.counts.rows, toImport: job.counts.toImport, created: 0 },
        },
        audit,
      ),
    ]);
    return { ...job, status: 'cancelled', finishedAt: at, updatedAt: at };
  }
  if (job.status !== 'queued' && job.status !== 'running') throw finished();
  await transactWrite(db, [requestImportCancelStep(db, job, at, finished)]);
  if (job.leaseUntil && Date.parse(job.leaseUntil) <= audit.now.getTime()) {
    await recoverImport(db, orgId, importId, audit.now);
    return getImportJob(db, orgId, importId);
  }
  return { ...job, cancelRequested: true, updatedAt: at };
}

export const REPORT_COLUMNS = ['line', 'email', 'name', 'role', 'team', 'outcome', 'code', 'detail'] as const;

/**
 * The import's report as CSV, one record per data row in line order: `added` or `invited`,
 * `rejected` by validation (every problem, column named), `skipped` by the worker (why),
 * `pending` while the worker has not reached it, `not_imported` once the import ended without
 * it (cancelled). Cells go through the export's formula neutralizer: a file's own cells are
 * echoed, and "=HYPERLINK(…)" in a name must not run in the admin's spreadsheet.
 */
export async function importReport(db: Database, job: ImportJob): Promise<string> {
  const [chunkItems, batchItems] = await Promise.all([
    queryImportItems(db, job.importId, 'CHUNK#'),
    queryImportItems(db, job.importId, 'BATCH#'),
  ]);
  const outcome = new Map<number, { outcome: string; code: string; detail: string }>();
  for (const batch of batchItems.map(batchFromItem)) recordOutcomes(batch, job, outcome);
  const lines: { line: number; text: string }[] = [];
  const unreached =
    job.status === 'completed' || job.status === 'cancelled' || job.status === 'failed' ? 'not_imported' : 'pending';
  for (const item of chunkItems) {
    for (const row of item.rows as ImportRow[]) {
      const o = outcome.get(row.line) ?? { outcome: unreached, code: '', detail: '' };
      lines.push({
        line: row.line,
        text: csvRow([String(row.line), row.email, row.name, row.role, row.teamName, o.outcome, o.code, o.detail]),
      });
    }
    for (const row of item.rejected as RejectedRow[]) {
      const { email, name, role, team } = row.cells;
      const code = [...new Set(row.problems.map((p) => p.code))].join(';');
      const detail = row.problems.map((p) => (p.column ? `${p.column}: ${p.message}` : p.message)).join('; ');
      lines.push({
        line: row.line,
        text: csvRow([String(row.line), email, name, role, team, 'rejected', code, detail]),
      });
    }
  }
  lines.sort((a, b) => a.line - b.line);
  return csvRow(REPORT_COLUMNS) + lines.map((l) => l.text).join('');
}

function recordOutcomes(
  batch: BatchMarker,
  job: ImportJob,
  into: Map<number, { outcome: string; code: string; detail: string }>,
): void {
  if (!batch.settled) return;
  for (const line of batch.created)
    into.set(line, { outcome: job.mode === 'add' ? 'added' : 'invited', code: '', detail: '' });
  for (const s of batch.skipped) into.set(s.line, { outcome: 'skipped', code: s.code, detail: s.message });
}

/** Who acts, from where, and how invitation mail names them: kept on the import for the worker. */
export function importOrigin(audit: AuditContext, caller: Parameters<typeof inviterOf>[0]): ImportOrigin {
  const actor = audit.actor.type === 'user' ? audit.actor : { type: 'user' as const, id: caller.userId, email: null };
  return { actor, ip: audit.ip, userAgent: audit.userAgent, requestId: audit.requestId, inviter: inviterOf(caller) };
}
