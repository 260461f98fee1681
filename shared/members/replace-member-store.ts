import { auditStep, type AuditChange, type AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { transactWrite, type TransactionStep } from '../data/transactions.js';
import type { IdentityPort } from '../identity/identity-port.js';
import type { Org } from '../orgs/org.js';
import { getOrg } from '../orgs/org-repository.js';
import { accountReader, type AccountReader } from '../users/account-management.js';
import { emailChangeSteps, emailConfirmationSteps, restoreIdentityEmail } from '../users/email-change.js';
import { findUserIdByEmail } from '../users/user-repository.js';
import type { Membership } from './membership.js';
import { getMembership } from './membership-repository.js';
import {
  actorStillAdminStep,
  counterDelta,
  membershipWriteSteps,
  orgCountersStep,
  teamExistsStep,
} from './membership-steps.js';

/**
 * What replacing a member reads and writes (replaceMember): the table's and the identity
 * provider's (replaceMemberStore), or the in-memory fake of the unit tests
 * (test/fakes/in-memory-members.ts), kept honest by one contract suite run against both
 * (test/contracts/replace-member-store.ts). The account rule's reads (AccountReader) decide who
 * may change the email; how the change then moves (the claim, the user record, the other
 * memberships, the provider's address, or a confirmation link) stays behind commitReplace.
 */
export interface ReplaceMemberStore extends AccountReader {
  /** The membership, strongly consistent. */
  getMembership(orgId: string, userId: string): Promise<Membership | undefined>;
  /** The org (its roles, verified domains and name), strongly consistent. */
  getOrg(orgId: string): Promise<Org | undefined>;
  /** The user holding the email's platform-wide claim, strongly consistent; undefined when nobody does. */
  emailHolder(email: string): Promise<string | undefined>;
  /**
   * Writes the replacement all or nothing, refusing it with the domain's error when the table no
   * longer allows it: the membership must still be the version read (else 409
   * concurrent_modification, 404 when gone); the org's counters move by a role change (never the
   * last active admin: 409 last_admin; a custom role deleted or changed meanwhile: 409
   * role_changed); a team newly given must exist in the org (400); an acting admin must still be
   * active in the role they acted with (403 insufficient_role); an email moving now must be free
   * (409 email_taken), and moves on the user, their claim and their other memberships, and at
   * the identity provider (given back there when the transaction fails); one to confirm gets its
   * single-use link mailed in the same transaction.
   */
  commitReplace(change: ReplaceCommit): Promise<void>;
}

/** How the account's email moves with a replacement (DESIGN.md section 1). */
export type EmailMove =
  | { kind: 'none' }
  /** Inside the org's verified domains: the account takes the address at once. */
  | { kind: 'now'; email: string }
  /** Outside them: the membership shows it pending, and a confirmation link is mailed to it. */
  | { kind: 'confirm'; email: string; orgName: string; appUrl: string };

export interface ReplaceCommit {
  current: Membership;
  next: Membership;
  /** The acting admin's membership (absent for operators and SCIM). */
  actor: Membership | undefined;
  email: EmailMove;
  event: AuditChange;
  audit: AuditContext;
}

/**
 * The store over the table and the provider: GetItems, the account rule's reads, and one
 * TransactWriteItems (an email moving now also reads its claim and the user's other
 * memberships to build it, and updates the provider's address before it).
 */
export const replaceMemberStore = (db: Database, identity: Pick<IdentityPort, 'updateEmail'>): ReplaceMemberStore => ({
  ...accountReader(db),
  getMembership: (orgId, userId) => getMembership(db, orgId, userId),
  getOrg: (orgId) => getOrg(db, orgId, true),
  emailHolder: (email) => findUserIdByEmail(db, email),
  commitReplace: async (change) => {
    const steps = await replaceSteps(db, change);
    const { current, next, email } = change;
    // Inside a verified domain the address counts as proven (Cognito email_verified true).
    if (email.kind === 'now') await identity.updateEmail(current.userId, next.email);
    try {
      await transactWrite(db, steps);
    } catch (error) {
      if (email.kind === 'now') await restoreIdentityEmail(identity, current.userId, current.email);
      throw error;
    }
  },
});

async function replaceSteps(db: Database, change: ReplaceCommit): Promise<TransactionStep[]> {
  const { current, next, actor, email, audit } = change;
  const { orgId, userId } = current;
  const emailSteps =
    email.kind === 'now'
      ? await emailChangeSteps(db, current, email.email, { orgId })
      : email.kind === 'confirm'
        ? await emailConfirmationSteps(db, {
            orgId,
            userId,
            name: next.name,
            email: email.email,
            orgName: email.orgName,
            appUrl: email.appUrl,
            now: audit.now,
          })
        : [];
  return [
    ...membershipWriteSteps(db, next, current.version),
    orgCountersStep(db, orgId, counterDelta(current, next)),
    next.teamId && next.teamId !== current.teamId ? teamExistsStep(db, orgId, next.teamId) : undefined,
    actorStillAdminStep(db, actor, userId),
    ...emailSteps,
    auditStep(db, change.event, audit),
  ].filter((s): s is TransactionStep => s !== undefined);
}
