import { auditStep, type AuditChange, type AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { transactWrite, type TransactionStep } from '../data/transactions.js';
import { userSessionsRevokedStep } from '../users/user-repository.js';
import { membershipReads, type LeavingReads } from './end-access.js';
import type { Membership } from './membership.js';
import { actorStillAdminStep, counterDelta, membershipWriteSteps, orgCountersStep } from './membership-steps.js';

/**
 * What a member's status change reads and writes (changeMemberStatus): the table's
 * (memberStatusStore), or an in-memory fake in unit tests (test/fakes/in-memory-members.ts),
 * kept honest by one contract suite run against both (test/contracts/member-status-store.ts).
 */
export interface MemberStatusStore extends LeavingReads {
  /**
   * Writes the change all or nothing, refusing it with the domain's error when the table no
   * longer allows it: the membership must still be the version read (else 409
   * concurrent_modification, 404 when gone); the org's counters move by the change (no seat
   * beyond maxSeats: 409 seat_limit_reached; never the last active admin: 409 last_admin); an
   * acting admin must still be active in the role they acted with (403 insufficient_role).
   */
  commitStatusChange(change: StatusCommit): Promise<void>;
}

export interface StatusCommit {
  current: Membership;
  next: Membership;
  /** The acting admin's membership (absent for operators, SCIM and webhooks). */
  actor: Membership | undefined;
  /** Also end every session of the account, at `audit.now` (the membership was its last active one, and the org manages it). */
  endAccountSessions: boolean;
  event: AuditChange;
  audit: AuditContext;
}

/** The store over the table: the reads of end-access.ts and one TransactWriteItems. */
export const memberStatusStore = (db: Database): MemberStatusStore => ({
  ...membershipReads(db),
  commitStatusChange: (change) => transactWrite(db, statusChangeSteps(db, change)),
});

function statusChangeSteps(db: Database, change: StatusCommit): TransactionStep[] {
  const { current, next, actor, audit } = change;
  return [
    ...membershipWriteSteps(db, next, current.version),
    orgCountersStep(db, current.orgId, counterDelta(current, next)),
    actorStillAdminStep(db, actor, current.userId),
    change.endAccountSessions ? userSessionsRevokedStep(db, current.userId, audit.now) : undefined,
    auditStep(db, change.event, audit),
  ].filter((s): s is TransactionStep => s !== undefined);
}
