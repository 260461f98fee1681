import type { Database } from '../data/dynamo-client.js';
import { batchGetAll } from '../data/batch-get.js';
import { nameSortValue, normalizeEmail, teamNameClaimKey } from '../data/keys.js';
import { put, transactWrite } from '../data/transactions.js';
import { newId } from '../ids.js';
import type { Org } from '../orgs/org.js';
import { mayGrantRole, roleDefinition, rolesOf, type CustomRoles, type Role } from '../roles.js';
import type { Membership } from '../members/membership.js';
import { freeSeats } from '../seats/seat-rules.js';
import { displayName, emailAddress } from '../schemas.js';
import { readImportCsv, type CsvRecord, type ImportLimits } from './csv-file.js';
import {
  CHUNK_LINES,
  IMPORT_RETENTION_SECONDS,
  PREVIEW_ROWS,
  STORED_ERRORS,
  type ImportJob,
  type ImportMode,
  type ImportOrigin,
  type ImportRow,
  type RejectedRow,
  type RowProblem,
} from './import-job.js';
import { putItems } from '../data/batch-write.js';
import { chunkToItem, jobToItem, type ImportChunk } from './import-repository.js';
import { findExistingPeople } from '../members/existing-people.js';

export interface CreateImportInput {
  mode: ImportMode;
  createTeams: boolean;
  file: Buffer;
  /** @default IMPORT_LIMITS (the API's); only the bench stages more, to measure the worker at 100,000 rows */
  limits?: ImportLimits;
}

export interface ImportPreview {
  job: ImportJob;
  /** Every problem of every row, in line order. */
  errors: RowProblem[];
}

/** Teams one import may create (createTeams): their names live on the import item, which must stay small. */
export const MAX_NEW_TEAMS = 50;
/** A cell echoed in a message or the report is cut to this (an email's maximum length). */
const CELL_ECHO = 254;

const cut = (value: string) => value.slice(0, CELL_ECHO);

interface Candidate {
  record: CsvRecord;
  problems: RowProblem[];
  email: string | null;
  name: string;
  role: Role;
  teamName: string | null;
  teamId: string | null;
}

/**
 * The validation pass: reads the CSV, checks every row (email syntax, name, role, team,
 * duplicates in the file, already a member or invited, seat budget), stores the rows to import
 * and the refused ones in chunk items under the import, then the import itself (`validated`).
 * The org's existing people are looked up with BatchGetItem, 100 keys a call, not row by row.
 * Nothing of the org changes: a preview holds no seat; the commit reserves seats per batch.
 */
export async function createImport(
  db: Database,
  org: Org,
  origin: ImportOrigin,
  input: CreateImportInput,
  now: Date,
  /** The importer's membership (none for platform operators and the bench): no row gives a role holding more than theirs. */
  actor?: Pick<Membership, 'role'>,
): Promise<ImportPreview> {
  const records = readImportCsv(input.file, input.limits);
  const candidates = records.map((record) => checkCells(record, org.customRoles, actor));

  // Duplicates: the first occurrence of an address stays a candidate, later ones are refused.
  const firstLine = new Map<string, number>();
  for (const c of candidates) {
    if (!c.email) continue;
    const first = firstLine.get(c.email);
    if (first === undefined) firstLine.set(c.email, c.record.line);
    else
      c.problems.push({
        line: c.record.line,
        column: 'email',
        code: 'duplicate_email',
        message: `${c.email} already appears on line ${first}`,
      });
  }

  const newTeams = await resolveTeams(db, org.orgId, candidates, input.createTeams);
  await markExistingPeople(
    db,
    org.orgId,
    candidates.filter((c) => c.email && firstLine.get(c.email) === c.record.line),
  );

  // Seat budget: valid rows in file order take the free seats; the rest are refused.
  let free = freeSeats(org);
  for (const c of candidates) {
    if (c.problems.length > 0) continue;
    if (free > 0) free--;
    else
      c.problems.push({
        line: c.record.line,
        column: null,
        code: 'seat_limit_reached',
        message: `Seat limit reached (${org.maxSeats}): no free seat left for this row`,
      });
  }

  const importId = newId();
  const ttl = Math.floor(now.getTime() / 1000) + IMPORT_RETENTION_SECONDS;
  const chunks: ImportChunk[] = [];
  const errors: RowProblem[] = [];
  const toImport: ImportRow[] = [];
  candidates.forEach((c, i) => {
    const index = Math.floor(i / CHUNK_LINES);
    const chunk = (chunks[index] ??= { chunk: index, rows: [], rejected: [] });
    if (c.problems.length === 0) {
      const row: ImportRow = {
        line: c.record.line,
        email: c.email!,
        name: c.name,
        role: c.role,
        teamId: c.teamId,
        teamName: c.teamName,
      };
      chunk.rows.push(row);
      toImport.push(row);
    } else {
      const { email, name, role, team } = c.record.cells;
      const rejected: RejectedRow = {
        line: c.record.line,
        cells: { email: cut(email), name: cut(name), role: cut(role), team: cut(team) },
        problems: c.problems,
      };
      chunk.rejected.push(rejected);
      errors.push(...c.problems);
    }
  });

  const at = now.toISOString();
  const job: ImportJob = {
    orgId: org.orgId,
    importId,
    status: 'validated',
    mode: input.mode,
    createTeams: input.createTeams,
    newTeams,
    counts: { rows: records.length, toImport: toImport.length, rejected: records.length - toImport.length },
    chunkCount: chunks.length,
    preview: toImport.slice(0, PREVIEW_ROWS),
    errors: errors.slice(0, STORED_ERRORS),
    nextChunk: 0,
    processed: 0,
    created: 0,
    skipped: 0,
    skippedByReason: {},
    cancelRequested: false,
    runSeq: 0,
    roles: [...new Set(toImport.map((row) => row.role))].sort(),
    createdBy: origin,
    committedBy: null,
    createdAt: at,
    updatedAt: at,
    committedAt: null,
    finishedAt: null,
    ttl,
  };
  // Chunks first: the job item is what makes the import visible, so it never names a missing chunk.
  await putItems(
    db,
    chunks.map((chunk) => chunkToItem(importId, chunk, ttl)),
  );
  await transactWrite(db, [put(db, jobToItem(job), 'attribute_not_exists(PK)')]);
  return { job, errors };
}

/**
 * The row's own cells: email syntax (the invitations' rule), name, role (default member; any
 * role of the org, its key in any case, that the importer may give), team name.
 */
function checkCells(
  record: CsvRecord,
  customRoles: CustomRoles,
  actor: Pick<Membership, 'role'> | undefined,
): Candidate {
  const { line, cells } = record;
  const problems: RowProblem[] = [];
  if (record.columnCountMismatch)
    problems.push({ line, column: null, code: 'column_count', message: 'does not have one cell per header column' });
  const email = emailAddress.safeParse(cells.email);
  if (!email.success)
    problems.push({
      line,
      column: 'email',
      code: 'invalid_email',
      message: cells.email ? `${JSON.stringify(cut(cells.email))} is not an email address` : 'is empty',
    });
  const name = displayName.safeParse(cells.name);
  if (!name.success)
    problems.push({ line, column: 'name', code: 'invalid_name', message: 'must be 1 to 200 characters' });
  const roleCell = cells.role.trim().toLowerCase();
  const role: Role | undefined = roleCell === '' ? 'member' : roleDefinition(customRoles, roleCell)?.key;
  if (!role)
    problems.push({
      line,
      column: 'role',
      code: 'unknown_role',
      message: `${JSON.stringify(cut(cells.role))} is not a role of this organization (${rolesOf(customRoles)
        .map((r) => r.key)
        .join(', ')})`,
    });
  else if (actor && !mayGrantRole(customRoles, actor.role, role))
    problems.push({
      line,
      column: 'role',
      code: 'role_escalation',
      message: `You cannot give the role ${role}: it holds permissions your role lacks`,
    });
  let teamName: string | null = null;
  if (cells.team !== '') {
    const team = displayName.safeParse(cells.team);
    if (team.success) teamName = team.data;
    else problems.push({ line, column: 'team', code: 'invalid_team', message: 'must be 1 to 200 characters' });
  }
  return {
    record,
    problems,
    email: email.success ? normalizeEmail(email.data) : null,
    name: name.success ? name.data : cells.name,
    role: role ?? 'member',
    teamName,
    teamId: null,
  };
}

/**
 * Team names → ids through the per-org name claims (one BatchGet per 100 names). Unknown names
 * are refused, or with createTeams listed for the commit to create (the preview creates nothing).
 */
async function resolveTeams(
  db: Database,
  orgId: string,
  candidates: Candidate[],
  createTeams: boolean,
): Promise<string[]> {
  const names = new Map<string, string>();
  for (const c of candidates) if (c.teamName) names.set(nameSortValue(c.teamName), c.teamName);
  const claims = await batchGetAll(
    db,
    [...names.keys()].map((lower) => teamNameClaimKey(orgId, lower)),
  );
  const ids = new Map(claims.map((claim) => [nameSortValue(claim.name as string), claim.teamId as string]));
  const newTeams = new Map<string, string>();
  for (const c of candidates) {
    if (!c.teamName) continue;
    const lower = nameSortValue(c.teamName);
    const teamId = ids.get(lower);
    if (teamId) c.teamId = teamId;
    else if (createTeams && (newTeams.has(lower) || newTeams.size < MAX_NEW_TEAMS))
      newTeams.set(lower, names.get(lower)!);
    else if (createTeams)
      c.problems.push({
        line: c.record.line,
        column: 'team',
        code: 'unknown_team',
        message: `${JSON.stringify(c.teamName)} would be team ${MAX_NEW_TEAMS + 1} to create; an import creates at most ${MAX_NEW_TEAMS}`,
      });
    else
      c.problems.push({
        line: c.record.line,
        column: 'team',
        code: 'unknown_team',
        message: `${JSON.stringify(c.teamName)} is not a team of this organization (or import with createTeams=true)`,
      });
  }
  return [...newTeams.values()];
}

/** Already a member or already invited (findExistingPeople); a row can be both. */
async function markExistingPeople(db: Database, orgId: string, candidates: Candidate[]): Promise<void> {
  const { members, invited } = await findExistingPeople(
    db,
    orgId,
    candidates.map((c) => c.email!),
  );
  for (const c of candidates) {
    if (members.has(c.email!))
      c.problems.push({
        line: c.record.line,
        column: 'email',
        code: 'already_member',
        message: `${c.email} is already a member`,
      });
  }
  for (const c of candidates) {
    if (invited.has(c.email!))
      c.problems.push({
        line: c.record.line,
        column: 'email',
        code: 'already_invited',
        message: `${c.email} already has a pending invitation`,
      });
  }
}
