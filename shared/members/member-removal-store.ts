import { auditStep, type AuditChange, type AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { membershipKey } from '../data/keys.js';
import { remove, transactWrite, type TransactionStep } from '../data/transactions.js';
import { ConcurrentModificationError } from '../errors.js';
import {
  profileRemoveSteps,
  readScimMemberWithOthers,
  type ScimMember,
  type ScimMemberRead,
} from '../scim/scim-user-repository.js';
import { userSessionsRevokedStep } from '../users/user-repository.js';
import { membershipReads, type LeavingReads } from './end-access.js';
import type { Membership } from './membership.js';
import { actorStillAdminStep, counterDelta, membershipSearchRemoveSteps, orgCountersStep } from './membership-steps.js';

/**
 * What removing a member reads and writes (removeMember): the table's (memberRemovalStore), or
 * the in-memory fake of the unit tests (test/fakes/in-memory-members.ts), kept honest by one
 * contract suite run against both (test/contracts/member-removal-store.ts).
 */
export interface MemberRemovalStore extends Pick<LeavingReads, 'accountAndOrg'> {
  /**
   * The member with their SCIM profile, and the user's memberships in other orgs: one Query of
   * the user's index partition, which may lag a write by a moment; `fresh` reads the member strongly.
   */
  memberWithOthers(orgId: string, userId: string, fresh: boolean): Promise<Pick<ScimMemberRead, 'member' | 'others'>>;
  /**
   * Deletes the membership and its search entries, all or nothing, refusing it with the domain's
   * error when the table no longer allows it: the membership must still be the version read (else,
   * gone too, ConcurrentModificationError: the caller reads again); the org's counters move by the
   * removal (never the last active admin: 409 last_admin); an acting admin must still be active in
   * the role they acted with (403 insufficient_role); the SCIM profile must still be as read (none:
   * still none), and goes with its externalId claim.
   */
  commitRemoval(removal: RemovalCommit): Promise<void>;
}

export interface RemovalCommit {
  current: Membership;
  /** The member's SCIM profile as read (none: there must still be none). */
  scim: Pick<ScimMember, 'profile' | 'profileVersion'>;
  /** The acting admin's membership (absent for operators, SCIM and a person leaving). */
  actor: Membership | undefined;
  /** Also end every session of the account, at `audit.now` (the membership was its last active one, and the org manages it). */
  endAccountSessions: boolean;
  event: AuditChange;
  audit: AuditContext;
}

/** The store over the table: the user's index partition (or a strong read), the account rule's BatchGetItem, one TransactWriteItems. */
export const memberRemovalStore = (db: Database): MemberRemovalStore => ({
  accountAndOrg: membershipReads(db).accountAndOrg,
  memberWithOthers: (orgId, userId, fresh) => readScimMemberWithOthers(db, orgId, userId, fresh),
  commitRemoval: (removal) => transactWrite(db, removalSteps(db, removal)),
});

function removalSteps(db: Database, removal: RemovalCommit): TransactionStep[] {
  const { current, actor, audit } = removal;
  const { orgId, userId } = current;
  return [
    remove(
      db,
      membershipKey(orgId, userId),
      { expression: 'version = :seen', values: { ':seen': current.version } },
      () => new ConcurrentModificationError(),
    ),
    ...membershipSearchRemoveSteps(db, orgId, userId),
    orgCountersStep(db, orgId, counterDelta(current, undefined)),
    actorStillAdminStep(db, actor, userId),
    removal.endAccountSessions ? userSessionsRevokedStep(db, userId, audit.now) : undefined,
    ...profileRemoveSteps(db, orgId, userId, removal.scim),
    auditStep(db, removal.event, audit),
  ].filter((s): s is TransactionStep => s !== undefined);
}
