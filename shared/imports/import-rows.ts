import { auditStep, type AuditContext, type AuditStepOptions } from '../audit/audit-event.js';
import { mapBounded } from '../concurrency.js';
import type { Clock } from '../clock.js';
import type { Database } from '../data/dynamo-client.js';
import { normalizeEmail } from '../data/keys.js';
import { packTransactions, transactWrite, type TransactionStep } from '../data/transactions.js';
import { findUserIdByEmail, findUserIdsByEmail, personSteps } from '../users/user-repository.js';
import { ConcurrentModificationError, ConflictError, ValidationError } from '../errors.js';
import { derivedId } from '../ids.js';
import { newInvitationSteps } from '../invitations/create-invitations.js';
import { newMembership, withRole } from '../members/membership.js';
import type { RoleHolderDelta } from '../members/membership-steps.js';
import type { CustomRoles, RolePermission } from '../roles.js';
import { memberSearchSlotKeys, membershipWriteSteps, teamExistsStep } from '../members/membership-steps.js';
import { memberSearchItems } from '../members/membership-repository.js';
import type { Membership } from '../members/membership.js';
import { deleteItems, putItems } from '../data/batch-write.js';
import type { Org } from '../orgs/org.js';
import type { ImportJob, ImportRow, RowCode } from './import-job.js';
import type { SkippedRow } from './import-repository.js';

/**
 * The import worker's rows: each row's steps (a member in `add` mode, an invitation in `invite`
 * mode, with the row's audit event as its done-marker), written many to a transaction.
 */

/** No identity provider: an import asks nothing of it (people's identities are created when first needed). */
export interface ImportWorkerDeps {
  db: Database;
  appUrl: string;
  /** The worker's clock, read at each step (a run outlives any one instant: leases, reservations, audit times). */
  clock: Clock;
}

/**
 * A batch's rows are written many to a transaction (up to DynamoDB's 100 actions: 20 invite
 * rows or 12-14 new members), this many transactions at once per batch; they touch no shared item.
 */
export const TRANSACTIONS_IN_FLIGHT = 4;
/** Rows prepared or written one by one at once (reads for existing users; rows whose shared transaction failed). */
const ROWS_IN_FLIGHT = 16;
/** Attempts for a row whose transaction lost a race (same person added elsewhere meanwhile). */
const ROW_ATTEMPTS = 3;

export interface CreatedRow {
  line: number;
  created: true;
  role: ImportRow['role'];
}

/**
 * A row to write, with the user id holding its email when the batch read the email claims
 * (`add` rows), and, for a new person whose search items were put before the row's
 * transaction, that person's id (the row's derived id: prewrittenSearchItems).
 */
interface RowToWrite {
  row: ImportRow;
  holder: string | undefined;
  prewritten?: string;
}

const createdRow = (row: ImportRow): CreatedRow => ({ line: row.line, created: true, role: row.role });

/** The user id an `add` row's membership is written under: the email's holder, or the row's new person. */
const writtenAs = (job: ImportJob, unit: RowToWrite): string | undefined =>
  job.mode === 'add' ? (unit.holder ?? importedUserId(job, unit.row)) : undefined;

/** A row's outcome, with the member's user id when one was created or found done. */
type RowOutcome = (CreatedRow & { userId?: string }) | SkippedRow;

/**
 * The batch's rows, packed many to a transaction (packTransactions). A transaction that fails
 * wrote nothing; usually one row's condition failed (written by an earlier run of a replayed
 * batch, or the person added, invited or the team deleted meanwhile), so its rows are then
 * written one by one, where each row's own refusal is known. An `add` batch reads its rows'
 * email claims first (one BatchGetItem per 100): a person Roster knows is attached, a new one
 * becomes a Roster user at once, with no identity-provider call (personSteps), and in a first
 * run of the batch gets its search items put beforehand (prewrittenSearchItems).
 */
export async function writeRows(
  deps: ImportWorkerDeps,
  job: ImportJob,
  org: Org,
  rows: ImportRow[],
  audit: AuditContext,
  /** Custom roles' holders the batch reserved, with whether each held org:manage then (BatchMarker.roles). */
  reservedRoles: Record<string, RoleHolderDelta> = {},
  /** No earlier run wrote any of these rows (the batch was reserved just now). */
  firstRun = false,
): Promise<(CreatedRow | SkippedRow)[]> {
  // The roles as the reservation pinned them: withRole reads only whether each holds org:manage.
  const pinned: CustomRoles = Object.fromEntries(
    Object.entries(reservedRoles).map(([key, d]) => [
      key,
      { name: key, permissions: d.managesOrg ? (['org:manage'] as const satisfies RolePermission[]) : [] },
    ]),
  );
  const holders =
    job.mode === 'add'
      ? await findUserIdsByEmail(
          deps.db,
          rows.map((row) => row.email),
        )
      : undefined;
  const toWrite = rows.map((row): RowToWrite => {
    const holder = holders?.get(normalizeEmail(row.email));
    const prewrite = firstRun && job.mode === 'add' && !holder;
    return { row, holder, ...(prewrite ? { prewritten: importedUserId(job, row) } : {}) };
  });
  await putItems(
    deps.db,
    toWrite.flatMap((unit) =>
      unit.prewritten ? memberSearchItems(addedMembership(job, unit.row, unit.prewritten, audit, pinned)) : [],
    ),
    TRANSACTIONS_IN_FLIGHT,
  );
  const units = await Promise.all(
    toWrite.map(async (unit) => ({ unit, steps: await rowSteps(deps, job, org, unit, audit, pinned) })),
  );
  const written = await mapBounded(packTransactions(units), TRANSACTIONS_IN_FLIGHT, async (pack) => {
    try {
      await transactWrite(deps.db, pack.steps);
      return pack.units.map((unit): RowOutcome => ({ ...createdRow(unit.row), userId: writtenAs(job, unit) }));
    } catch {
      return mapBounded(pack.units, ROWS_IN_FLIGHT, (unit) => importRow(deps, job, org, unit, audit, pinned));
    }
  });
  const outcomes = written.flat();
  if (job.mode === 'add') await dropStraySearchItems(deps.db, job, toWrite, outcomes, firstRun);
  return outcomes.map((o) => ('created' in o ? { line: o.line, created: true, role: o.role } : o));
}

/** The row in its own transaction, retried when it only lost a race; a refusal becomes a skipped row. */
async function importRow(
  deps: ImportWorkerDeps,
  job: ImportJob,
  org: Org,
  unit: RowToWrite,
  audit: AuditContext,
  pinned: CustomRoles,
): Promise<RowOutcome> {
  const { row } = unit;
  for (let attempt = 1; ; attempt++) {
    // After a lost race (the same new person added elsewhere) the email's holder is read again, and attached.
    const again = attempt > 1 && job.mode === 'add' ? await findUserIdByEmail(deps.db, row.email) : undefined;
    const current: RowToWrite = again ? { row, holder: again } : unit;
    try {
      await transactWrite(deps.db, await rowSteps(deps, job, org, current, audit, pinned));
      return { ...createdRow(row), userId: writtenAs(job, current) };
    } catch (error) {
      if (error instanceof ConflictError && error.code === 'import_row_done')
        return { ...createdRow(row), userId: writtenAs(job, current) };
      if (error instanceof ConcurrentModificationError && attempt < ROW_ATTEMPTS) continue;
      const skip = skippedFor(row, error);
      if (skip) return skip;
      throw error;
    }
  }
}

/**
 * Search items put for a person the row did not create after all (refused, or the email
 * attached to a person created elsewhere meanwhile) are deleted, so none outlives its row. A
 * replayed batch cannot tell which of its rows an earlier run prewrote, so it deletes the derived
 * slots of every add row not created under its derived id (deleting a missing item costs one
 * write unit and is no error); a first run only those it prewrote.
 */
async function dropStraySearchItems(
  db: Database,
  job: ImportJob,
  units: RowToWrite[],
  outcomes: RowOutcome[],
  firstRun: boolean,
): Promise<void> {
  const createdAs = new Map(outcomes.map((o) => [o.line, 'created' in o ? o.userId : undefined]));
  const stray = units.flatMap(({ row, prewritten }) => {
    if (firstRun && !prewritten) return [];
    const derived = importedUserId(job, row);
    if (createdAs.get(row.line) === derived) return [];
    return memberSearchSlotKeys(job.orgId, derived);
  });
  await deleteItems(db, stray, TRANSACTIONS_IN_FLIGHT);
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
async function rowSteps(
  deps: ImportWorkerDeps,
  job: ImportJob,
  org: Org,
  unit: RowToWrite,
  audit: AuditContext,
  pinned: CustomRoles,
): Promise<TransactionStep[]> {
  if (job.mode === 'invite') return inviteRowSteps(deps, job, org, unit.row, audit);
  return addRowSteps(deps.db, job, unit, audit, pinned);
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
 * The user id a row's new person gets: derived from the import and the line, so the search
 * items put before the row's transaction and the transaction agree, and a replay knows whose
 * stray items to delete.
 */
const importedUserId = (job: ImportJob, row: ImportRow): string =>
  derivedId('import-member', job.importId, String(row.line));

/**
 * Search items (up to four a member) are most of a new member's writes. Put beforehand, in
 * BatchWriteItem calls, they leave the row's transaction with its conditional items only (done-
 * marker, membership, user, email claim): half the transactional actions, at one write unit an
 * item instead of two. Safe because no one else writes them: the person's id is new (derived
 * from the import's line, unknown elsewhere), the batch is in its first run (firstRun) and the
 * email had no holder when read; a search for them finds nothing until the membership commits
 * (search reads the memberships by key after); and a row that ends without that member deletes
 * them (dropStraySearchItems).
 */
function addedMembership(
  job: ImportJob,
  row: ImportRow,
  userId: string,
  audit: AuditContext,
  pinned: CustomRoles,
): Membership {
  // The role's holders were reserved with the batch's seats; its org:manage mark is as reserved.
  return withRole(
    newMembership(
      // Added by an admin, through a file rather than the form; the audit event names the import.
      {
        orgId: job.orgId,
        userId,
        name: row.name,
        email: normalizeEmail(row.email),
        role: row.role,
        teamId: row.teamId,
        source: 'manual',
      },
      audit.now,
    ),
    row.role,
    pinned,
  );
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
  { row, holder, prewritten }: RowToWrite,
  audit: AuditContext,
  pinned: CustomRoles,
): TransactionStep[] {
  const person = personSteps(db, row, holder, audit.now, job.orgId, prewritten ?? importedUserId(job, row));
  const membership = addedMembership(job, row, person.userId, audit, pinned);
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
    ...membershipWriteSteps(db, membership, 'new', prewritten && !holder ? { searchItems: 'written' } : {}),
    ...person.steps,
    ...(row.teamId ? [teamExistsStep(db, job.orgId, row.teamId)] : []),
  ];
}

/** `invite` mode: the invitation building blocks (claim, invitation, token, outbox mail, audit) without the org item. */
async function inviteRowSteps(
  deps: ImportWorkerDeps,
  job: ImportJob,
  org: Org,
  row: ImportRow,
  audit: AuditContext,
): Promise<TransactionStep[]> {
  const inviter = (job.committedBy ?? job.createdBy).inviter;
  const { steps } = await newInvitationSteps(deps.db, {
    org,
    request: { email: row.email, role: row.role, teamId: row.teamId, message: null, inviter },
    appUrl: deps.appUrl,
    audit,
    auditAfter: { importId: job.importId },
    auditOptions: rowAuditOptions(job, row),
  });
  return steps;
}
