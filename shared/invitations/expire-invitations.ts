import { auditStep, type AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { invitationIndexKeys, pendingInvitationClaimKey } from '../data/keys.js';
import { queryPage } from '../data/pagination.js';
import { indexKeyAttributes, type IndexName } from '../data/table-definition.js';
import { remove, transactWrite, type TransactionStep } from '../data/transactions.js';
import { ConflictError } from '../errors.js';
import { orgCountersStep } from '../members/membership-steps.js';
import { isOverdue, type Invitation } from './invitation.js';
import { getInvitation, invitationFromItem, pendingInvitationWriteStep } from './invitation-repository.js';

/** The sparse index holding pending invitations by expiry (see keys.ts). */
export const EXPIRY_INDEX: IndexName = 'GSI3';

/** Index items read per Query page. */
export const EXPIRY_PAGE_SIZE = 25;

/** The machine actor the sweep's audit events name. */
export const EXPIRY_ACTOR = { type: 'system', id: 'expire-invitations' } as const;

export interface ExpirySummary {
  /** Overdue index entries read (Query items, the extra look-ahead item of each page aside). */
  scanned: number;
  /** Invitations this run moved from pending to expired. */
  expired: number;
  /** Entries a concurrent accept, revoke or resend (or an earlier run) had already changed. */
  skipped: number;
  /** Entries whose transaction failed for another reason (logged; the next run retries them). */
  failed: number;
}

export interface ExpireInvitationsOptions {
  /** Index items per Query page. @default EXPIRY_PAGE_SIZE */
  pageSize?: number;
  /** Asked between invitations; true stops the run early (the next run picks up the rest). */
  shouldStop?: () => boolean;
  /** Told about each invitation whose transaction failed for a reason other than a lost race. */
  onFailure?: (entry: { orgId: string; invitationId: string }, error: unknown) => void;
}

/**
 * The GSI3 partition and the inclusive sort-key range holding every pending invitation due at
 * or before `now`, derived from the very keys invitation items carry. `now#~` sorts after every
 * `now#orgId#invitationId` (ids are below "~"), so an invitation expiring exactly at `now` is
 * included, as isOverdue and the accept path's `expiresAt > now` have it.
 */
export function overdueRange(now: Date): { partition: string; between: [string, string] } {
  const keys = invitationIndexKeys({
    orgId: '~',
    invitationId: '',
    status: 'pending',
    createdAt: '',
    expiresAt: now.toISOString(),
  });
  const names = indexKeyAttributes(EXPIRY_INDEX);
  return { partition: keys[names.partitionKey] as string, between: ['0', keys[names.sortKey] as string] };
}

/** The invitation's expired state, or undefined when it is not (or no longer) a pending overdue one. */
export function expiredVersionOf(current: Invitation | undefined, now: Date): Invitation | undefined {
  if (!current || current.status !== 'pending' || !isOverdue(current, now)) return undefined;
  return { ...current, status: 'expired', updatedAt: now.toISOString() };
}

/** The invitation's write condition failed: someone else changed it first. Not an error for the sweep. */
class InvitationChangedError extends ConflictError {
  constructor() {
    super('The invitation changed while it was being expired', 'invitation_changed');
  }
}

/**
 * The scheduled sweep: marks every overdue pending invitation `expired` and frees its seat.
 *
 * Cost grows with the number of overdue invitations, not with the table: it Queries only the
 * overdue range of the sparse expiry index (an invitation is in it only while pending), a page
 * at a time, and an invitation leaves the index in the very transaction that expires it, so
 * nothing is read twice across runs. Per overdue invitation: one index item, one GetItem and
 * one transaction (invitation, claim, org counters, audit event).
 *
 * The index is eventually consistent, so each entry is re-read from the table (strongly
 * consistent) before anything is written: an entry a resend has already moved forward, or an
 * accept or revoke has already taken out of pending, is skipped without a transaction, and the
 * expired item is built from what the table holds now rather than from a possibly stale index
 * copy (the write replaces the whole item). The write is still conditioned on status = pending,
 * the version re-read and expiresAt <= now, so an accept, revoke or resend landing between the
 * re-read and the write wins cleanly and this entry is counted as skipped. Hence idempotent:
 * a second run, or two runs at once, expire nothing twice.
 *
 * Invitations are expired one after another: overdue invitations of one org all update that
 * org's counters, and parallel transactions on one item only conflict and retry.
 */
export async function expireInvitations(
  db: Database,
  audit: AuditContext,
  options: ExpireInvitationsOptions = {},
): Promise<ExpirySummary> {
  const { now } = audit;
  const range = overdueRange(now);
  const summary: ExpirySummary = { scanned: 0, expired: 0, skipped: 0, failed: 0 };
  let cursor: string | undefined;
  do {
    const page = await queryPage(db, {
      index: EXPIRY_INDEX,
      partition: range.partition,
      sortKey: { between: range.between },
      forward: true,
      limit: options.pageSize ?? EXPIRY_PAGE_SIZE,
      cursor,
    });
    for (const item of page.items) {
      if (options.shouldStop?.()) return summary;
      summary.scanned++;
      const entry = invitationFromItem(item);
      try {
        summary[(await expireOne(db, entry.orgId, entry.invitationId, audit)) ? 'expired' : 'skipped']++;
      } catch (error) {
        summary.failed++;
        options.onFailure?.({ orgId: entry.orgId, invitationId: entry.invitationId }, error);
      }
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor && !options.shouldStop?.());
  return summary;
}

/** Expires one invitation if it is still pending and overdue; false when there was nothing to do. */
async function expireOne(db: Database, orgId: string, invitationId: string, audit: AuditContext): Promise<boolean> {
  const current = await getInvitation(db, orgId, invitationId);
  const next = expiredVersionOf(current, audit.now);
  if (!current || !next) return false;
  const steps = [
    pendingInvitationWriteStep(db, next, current.version, () => new InvitationChangedError(), {
      expression: 'expiresAt <= :now',
      values: { ':now': audit.now.toISOString() },
    }),
    orgCountersStep(db, orgId, { seats: -1, admins: 0, members: 0 }),
    remove(db, pendingInvitationClaimKey(orgId, current.email)),
    auditStep(
      db,
      {
        orgId,
        action: 'invitation.expired',
        target: { type: 'invitation', id: invitationId },
        before: { status: 'pending' },
        after: { status: 'expired' },
      },
      audit,
    ),
  ].filter((s): s is TransactionStep => s !== undefined);
  try {
    await transactWrite(db, steps);
    return true;
  } catch (error) {
    if (error instanceof InvitationChangedError) return false;
    throw error;
  }
}
