import { auditStep, type AuditChange, type AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { transactWrite, type TransactionStep } from '../data/transactions.js';
import { findUserIdByEmail, personSteps } from '../users/user-repository.js';
import type { Membership } from './membership.js';
import { counterDelta, membershipWriteSteps, orgCountersStep, teamExistsStep } from './membership-steps.js';

/**
 * What adding a member reads and writes (addMember): the table's (addMemberStore), or the
 * in-memory fake of the unit tests (test/fakes/in-memory-members.ts), kept honest by one
 * contract suite run against both (test/contracts/add-member-store.ts).
 */
export interface AddMemberStore {
  /** The user holding the email's platform-wide claim, strongly consistent; undefined when nobody does. */
  emailHolder(email: string): Promise<string | undefined>;
  /**
   * Writes the membership and everything that goes with it, all or nothing, refusing it with the
   * domain's error when the table no longer allows it: the person must not be a member yet (409
   * already_member); a new person's email must still be unclaimed (another request claimed it
   * meanwhile: ConcurrentModificationError, which a retry resolves by attaching the holder), an
   * existing person's record must still exist (409 email_taken); the org's counters move by the
   * membership (no seat beyond maxSeats: 409 seat_limit_reached; a custom role deleted or changed
   * meanwhile: 409 role_changed; no org: 404); the team must exist in the org (400).
   */
  commitAdd(add: AddCommit): Promise<void>;
}

export interface AddCommit {
  /** The new membership (version 1); its userId is the claim's holder, or a new user's id. */
  membership: Membership;
  /** A new Roster user, recorded (identity pending) with its email claim in the same transaction. */
  newPerson: boolean;
  event: AuditChange;
  audit: AuditContext;
}

/** The store over the table: the email claim's GetItem and one TransactWriteItems. */
export const addMemberStore = (db: Database): AddMemberStore => ({
  emailHolder: (email) => findUserIdByEmail(db, email),
  commitAdd: (add) => transactWrite(db, addSteps(db, add)),
});

function addSteps(db: Database, { membership, newPerson, event, audit }: AddCommit): TransactionStep[] {
  const { orgId, userId } = membership;
  const person = personSteps(db, membership, newPerson ? undefined : userId, audit.now, orgId, userId);
  return [
    ...membershipWriteSteps(db, membership, 'new'),
    ...person.steps,
    orgCountersStep(db, orgId, counterDelta(undefined, membership)),
    membership.teamId ? teamExistsStep(db, orgId, membership.teamId) : undefined,
    auditStep(db, event, audit),
  ].filter((s): s is TransactionStep => s !== undefined);
}
