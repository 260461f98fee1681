import { auditStep, type AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { pendingInvitationClaimKey, tokenKey } from '../data/keys.js';
import { emailClaimStep, findUserIdByEmail, userToItem } from '../data/user-repository.js';
import { put, remove, transactWrite, update, type TransactionStep } from '../data/transactions.js';
import { ConcurrentModificationError, ValidationError } from '../errors.js';
import { passwordProblem, type IdentityPort } from '../identity/identity-port.js';
import type { Membership } from '../members/membership.js';
import { membershipWriteStep, orgCountersStep } from '../members/membership-steps.js';
import { ADMIN_ROLE } from '../roles.js';
import type { Invitation } from './invitation.js';
import { invalidToken, signInRequired } from './invitation-errors.js';
import { invitationFromItem, pendingInvitationWriteStep, unusableError } from './invitation-repository.js';
import { usableInvitation } from './preview-invitation.js';
import type { AcceptInvitationInput } from './schemas.js';

/**
 * A new user accepts an invitation with a name and a password. One transaction moves the
 * invitation from pending to accepted (only at the version read, before expiry), creates the
 * user record and the membership, moves the seat from the invitation to the member and writes
 * both audit events, so concurrent accepts of one link make exactly one membership. Only the
 * request that won sets the password.
 */
export async function acceptInvitation(deps: { db: Database; identity: IdentityPort }, token: string, input: AcceptInvitationInput, audit: AuditContext): Promise<Membership> {
  const { db } = deps;
  const problem = passwordProblem(input.password);
  if (problem) throw new ValidationError([{ field: 'password', message: problem }]);
  const { invitation, tokenHash } = await usableInvitation(db, token, audit.now);
  // Setting a password for an account that already exists would hand it to whoever holds the link.
  if (await findUserIdByEmail(db, invitation.email)) throw signInRequired();

  const { userId } = await deps.identity.ensureUser({ email: invitation.email, name: input.name });
  const now = audit.now.toISOString();
  const membership: Membership = {
    orgId: invitation.orgId,
    userId,
    name: input.name,
    email: invitation.email,
    role: invitation.role,
    teamId: invitation.teamId,
    status: 'active',
    source: 'invitation',
    createdAt: now,
    updatedAt: now,
    lastLoginAt: null,
    version: 1,
  };
  const accepted: Invitation = { ...invitation, status: 'accepted', acceptedBy: userId, updatedAt: now };
  const actor: AuditContext = { ...audit, actor: { type: 'user', id: userId, email: invitation.email } };
  const steps = [
    pendingInvitationWriteStep(db, accepted, invitation.version, (current) => unusableError(current && invitationFromItem(current), tokenHash, audit.now) ?? new ConcurrentModificationError(), {
      expression: 'expiresAt > :now AND tokenHash = :hash',
      values: { ':now': now, ':hash': tokenHash },
    }),
    put(db, userToItem({ userId, email: invitation.email, name: input.name, authSource: { kind: 'password' }, mfaEnabled: false, sessionsRevokedAt: null, lastLoginAt: null, createdAt: now, updatedAt: now }), 'attribute_not_exists(PK)', signInRequired),
    emailClaimStep(db, userId, invitation.email, signInRequired),
    remove(db, pendingInvitationClaimKey(invitation.orgId, invitation.email)),
    // The token is marked, not deleted, so a second use is told "already used" until its TTL.
    update(db, { key: tokenKey(tokenHash), updateExpression: 'SET usedAt = :now', condition: 'attribute_exists(PK) AND attribute_not_exists(usedAt)', values: { ':now': now } }, invalidToken),
    membershipWriteStep(db, membership, 'new'),
    // The seat moves from the invitation to the member: seats +0.
    orgCountersStep(db, invitation.orgId, { seats: 0, admins: invitation.role === ADMIN_ROLE ? 1 : 0, members: 1 }),
    auditStep(db, { orgId: invitation.orgId, action: 'invitation.accepted', target: { type: 'invitation', id: invitation.invitationId }, before: { status: 'pending' }, after: { status: 'accepted', userId } }, actor),
    auditStep(db, { orgId: invitation.orgId, action: 'member.added', target: { type: 'member', id: userId }, after: { email: membership.email, name: membership.name, role: membership.role, teamId: membership.teamId, status: membership.status, source: 'invitation' } }, actor),
  ].filter((s): s is TransactionStep => s !== undefined);
  await transactWrite(db, steps);
  await deps.identity.setPassword(userId, input.password);
  return membership;
}
