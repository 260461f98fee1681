import type { AuditContext } from '../audit/audit-event.js';
import type { Role } from '../roles.js';

/**
 * A bulk CSV import. `validated` holds a preview until the admin commits (→ `queued`); the
 * worker moves it to `running` and on to `completed`, or `cancelled` when asked to stop
 * between batches. A worker out of time hands over by setting `queued` again (a new runSeq).
 * An import whose worker died is resumed by the seat sweeper, or `failed` once it has been
 * resumed MAX_RESUMES times (shared/imports/recover-import.ts).
 */
export const IMPORT_STATUSES = ['validated', 'queued', 'running', 'completed', 'cancelled', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

export const IMPORT_MODES = ['invite', 'add'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

export const IMPORT_JOB_ENTITY = 'importJob';

/** Lines per chunk item: a valid row is ≤ ~600 bytes, so a chunk stays far under 400 KB. */
export const CHUNK_LINES = 300;
/** An import, its rows and its report stay this long (DynamoDB TTL). */
export const IMPORT_RETENTION_SECONDS = 7 * 24 * 3600;
/** Preview rows and errors kept on the job item for GET; the report has every row. */
export const PREVIEW_ROWS = 20;
export const STORED_ERRORS = 100;

/** Why a row is not imported (validation, or the worker at commit time). */
export type RowCode =
  | 'invalid_email'
  | 'invalid_name'
  | 'unknown_role'
  | 'role_escalation'
  | 'unknown_team'
  | 'invalid_team'
  | 'duplicate_email'
  | 'column_count'
  | 'already_member'
  | 'already_invited'
  | 'seat_limit_reached'
  | 'email_taken'
  | 'concurrent_modification'
  | 'import_failed';

export interface RowProblem {
  line: number;
  /** The CSV column at fault; null for the row as a whole (seat budget, column count). */
  column: 'email' | 'name' | 'role' | 'team' | null;
  code: RowCode;
  message: string;
}

/** A row as it will be imported. */
export interface ImportRow {
  line: number;
  email: string;
  name: string;
  role: Role;
  /** The existing team; null with `teamName` set when the team is created at commit. */
  teamId: string | null;
  teamName: string | null;
}

/** A row that will not be imported, as given (cells cut to 254 characters) with its problems. */
export interface RejectedRow {
  line: number;
  cells: { email: string; name: string; role: string; team: string };
  problems: RowProblem[];
}

/** What the actor who committed did it from: the worker's audit events carry it. */
export interface ImportOrigin {
  actor: { type: 'user'; id: string; email: string | null };
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  /** Named as the inviter in invitation mail. */
  inviter: { userId: string; email: string; name: string | null };
}

export interface ImportCounts {
  /** Data rows in the file (blank lines excluded). */
  rows: number;
  /** Rows that pass every check and fit in the free seats: what a commit will try. */
  toImport: number;
  /** Rows refused by validation, seat budget included. */
  rejected: number;
}

export interface ImportJob {
  orgId: string;
  importId: string;
  status: ImportStatus;
  mode: ImportMode;
  createTeams: boolean;
  /** Team names the commit creates (createTeams), lower-case unique. */
  newTeams: string[];
  counts: ImportCounts;
  chunkCount: number;
  preview: ImportRow[];
  /** The first STORED_ERRORS problems; the report lists all. */
  errors: RowProblem[];
  /** Batches settled so far; the worker resumes at this chunk. */
  nextChunk: number;
  processed: number;
  created: number;
  skipped: number;
  skippedByReason: Partial<Record<RowCode, number>>;
  cancelRequested: boolean;
  /** Bumped each time the import is (re)queued, so a stale stream record never runs it. */
  runSeq: number;
  /** While queued or running (or being ended by the sweeper): until when its worker holds it (import-lease.ts). */
  leaseUntil?: string;
  /** Times the seat sweeper re-queued it after its worker died. */
  resumes?: number;
  /** The roles the rows to import give (each once): whoever commits must be able to give them too. */
  roles?: Role[];
  createdBy: ImportOrigin;
  committedBy: ImportOrigin | null;
  createdAt: string;
  updatedAt: string;
  committedAt: string | null;
  finishedAt: string | null;
  ttl: number;
}

/** The job as the API shows it. */
export function importView(job: ImportJob) {
  return {
    importId: job.importId,
    status: job.status,
    mode: job.mode,
    createTeams: job.createTeams,
    newTeams: job.newTeams,
    counts: job.counts,
    /** Rows the worker has dealt with, of `total` (rows to import). */
    processed: job.processed,
    total: job.counts.toImport,
    created: job.created,
    skipped: job.skipped,
    skippedByReason: job.skippedByReason,
    cancelRequested: job.cancelRequested,
    preview: job.preview.map(rowView),
    errors: job.errors,
    createdAt: job.createdAt,
    committedAt: job.committedAt,
    finishedAt: job.finishedAt,
    report: `/v1/orgs/${job.orgId}/imports/${job.importId}/report`,
  };
}

export const rowView = (r: ImportRow) => ({
  line: r.line,
  email: r.email,
  name: r.name,
  role: r.role,
  team: r.teamName,
});

/** The worker's audit context: the admin who committed, from where they did it, at `now`. */
export function workerAudit(job: ImportJob, now: Date): AuditContext {
  const origin = job.committedBy ?? job.createdBy;
  return {
    actor: origin.actor,
    ip: origin.ip,
    userAgent: origin.userAgent,
    requestId: origin.requestId,
    now,
  };
}
