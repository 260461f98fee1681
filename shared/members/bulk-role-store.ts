import { auditStep, type AuditChange, type AuditContext } from '../audit/audit-event.js';
import { batchGetConsistent } from '../data/batch-get.js';
import type { Database } from '../data/dynamo-client.js';
import { membershipKey } from '../data/keys.js';
import { transactWrite, type TransactionStep } from '../data/transactions.js';
import type { Membership } from './membership.js';
import { membershipFromItem } from './membership-repository.js';
import {
  actorStillAdminStep,
  counterDelta,
  membershipWriteSteps,
  orgCountersStep,
  sumDeltas,
} from './membership-steps.js';

/**
 * What a bulk role change reads and writes (bulkChangeRole): the table's (bulkRoleStore), or the
 * in-memory fake of the unit tests (test/fakes/in-memory-members.ts), kept honest by one
 * contract suite run against both (test/contracts/bulk-role-store.ts).
 */
export interface BulkRoleStore {
  /** The org's memberships of these users, strongly consistent; a user without one is left out. */
  membershipsOf(orgId: string, userIds: readonly string[]): Promise<Membership[]>;
  /**
   * Writes every move, all or nothing, refusing the batch with the domain's error when the table
   * no longer allows it: each membership must still be the version read (else 409
   * concurrent_modification, 404 when gone); the org's counters move by the batch's sum (never
   * below one active admin: 409 last_admin; a custom role deleted or changed meanwhile: 409
   * role_changed); the acting admin, when given, must still be active in the role they acted
   * with (403 insufficient_role).
   */
  commitBulkRole(change: BulkRoleCommit): Promise<void>;
}

export interface BulkRoleCommit {
  orgId: string;
  /** Each membership as read, and as it becomes; at least one, none twice. */
  moves: { current: Membership; next: Membership }[];
  /** An acting admin not among the members read (a transaction names an item once); absent for operators. */
  actor: Membership | undefined;
  event: AuditChange;
  audit: AuditContext;
}

/** The store over the table: one consistent BatchGetItem and one TransactWriteItems. */
export const bulkRoleStore = (db: Database): BulkRoleStore => ({
  membershipsOf: async (orgId, userIds) =>
    (
      await batchGetConsistent(
        db,
        userIds.map((id) => membershipKey(orgId, id)),
      )
    ).map(membershipFromItem),
  commitBulkRole: (change) => transactWrite(db, bulkRoleSteps(db, change)),
});

function bulkRoleSteps(db: Database, { orgId, moves, actor, event, audit }: BulkRoleCommit): TransactionStep[] {
  const delta = moves.map((m) => counterDelta(m.current, m.next)).reduce(sumDeltas);
  // BULK_ROLE_LIMIT (the schema) keeps these within one transaction's 100 actions.
  return [
    ...moves.flatMap((m) => membershipWriteSteps(db, m.next, m.current.version)),
    orgCountersStep(db, orgId, delta),
    actor ? actorStillAdminStep(db, actor, '') : undefined,
    auditStep(db, event, audit),
  ].filter((s): s is TransactionStep => s !== undefined);
}
