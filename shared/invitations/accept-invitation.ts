import { auditStep, type AuditContext } from '../audit/audit-event.js';
import { batchGetConsistent } from '../data/batch-get.js';
import type { Database } from '../data/dynamo-client.js';
import { normalizeEmail, pendingInvitationClaimKey, tokenKey, userKey } from '../data/keys.js';
import { emailClaimStep, findUserIdByEmail, getUser, userFromItem, userToItem } from '../users/user-repository.js';
import { put, remove, transactWrite, update, type TransactionStep } from '../data/transactions.js';
import { ConcurrentModificationError, ConflictError, ForbiddenError, ValidationError } from '../errors.js';
import { rejectRevokedSession } from '../users/session-revocation.js';
import { logger } from '../logger.js';
import { passwordProblem, type IdentityPort } from '../identity/identity-port.js';
import type { TokenVerifier } from '../identity/token-verifier.js';
import { newId, sha256 } from '../ids.js';
import { newMembership, withRole, type Membership } from '../members/membership.js';
import { counterDelta, membershipWriteSteps, orgCountersStep } from '../members/membership-steps.js';
import { isBuiltInRole, MEMBER_ROLE, roleDefinition } from '../roles.js';
import { getOrg } from '../orgs/org-repository.js';
import { newUserRecord, type User } from '../users/user.js';
import {
  invalidAccessToken,
  invalidToken,
  invitationExpired,
  invitationRevoked,
  invitationUsed,
  signInRequired,
} from './invitation-errors.js';
import {
  acceptInvitationStep,
  getInvitation,
  getInvitationToken,
  invitationFromItem,
  invitationTokenFromItem,
  unusableError,
  type InvitationTokenItem,
} from './invitation-repository.js';
import type { AcceptInvitationInput } from './schemas.js';

/** The invitation as accepting needs it, from its token item (older token items: from the invitation). */
interface Target {
  orgId: string;
  invitationId: string;
  email: string;
  role: Membership['role'];
  teamId: string | null;
  tokenHash: string;
}

/**
 * What the token item alone says about a link: unknown, used, revoked or expired ones are
 * refused before anything is created (no identity for a dead link). The transaction's
 * condition on the invitation re-checks all of it; this only answers early.
 */
async function targetOf(
  db: Database,
  found: InvitationTokenItem | undefined,
  tokenHash: string,
  now: Date,
): Promise<Target> {
  if (!found) throw invalidToken();
  if (found.usedAt) throw invitationUsed();
  if (found.revokedAt) throw invitationRevoked();
  if (found.expiresAt && Date.parse(found.expiresAt) <= now.getTime()) throw invitationExpired();
  if (found.email && found.role && found.teamId !== undefined) {
    return {
      orgId: found.orgId,
      invitationId: found.invitationId,
      email: found.email,
      role: found.role,
      teamId: found.teamId,
      tokenHash,
    };
  }
  // A link issued before token items carried the invitation's role: one more read.
  const invitation = await getInvitation(db, found.orgId, found.invitationId);
  const problem = unusableError(invitation, tokenHash, now);
  if (problem || !invitation) throw problem ?? invalidToken();
  return {
    orgId: invitation.orgId,
    invitationId: invitation.invitationId,
    email: invitation.email,
    role: invitation.role,
    teamId: invitation.teamId,
    tokenHash,
  };
}

/**
 * The one transaction of an accept: the invitation moves from pending to accepted (only while
 * pending, for this very token, before expiry: its condition is the check, so it is not read
 * first), the token is spent, the pending claim goes, the membership appears, the seat moves
 * from the invitation to the member (seats +0), and both audit events are written. Concurrent
 * accepts of one link therefore make exactly one membership. `newUser` adds the user record
 * and the email claim (refused as "sign in" when the email already has an account).
 */
function acceptSteps(
  db: Database,
  target: Target,
  membership: Membership,
  newUser: User | undefined,
  audit: AuditContext,
): TransactionStep[] {
  const now = audit.now.toISOString();
  const actor: AuditContext = { ...audit, actor: { type: 'user', id: membership.userId, email: membership.email } };
  return [
    acceptInvitationStep(
      db,
      { ...target, acceptedBy: membership.userId },
      audit.now,
      (current) =>
        unusableError(current && invitationFromItem(current), target.tokenHash, audit.now) ??
        new ConcurrentModificationError(),
    ),
    newUser ? put(db, userToItem(newUser), 'attribute_not_exists(PK)', signInRequired) : undefined,
    newUser ? emailClaimStep(db, newUser.userId, newUser.email, signInRequired) : undefined,
    remove(db, pendingInvitationClaimKey(target.orgId, target.email)),
    // The token is marked, not deleted, so a second use is told "already used" until its TTL.
    update(
      db,
      {
        key: tokenKey(target.tokenHash),
        updateExpression: 'SET usedAt = :now',
        condition: 'attribute_exists(PK) AND attribute_not_exists(usedAt)',
        values: { ':now': now },
      },
      invalidToken,
    ),
    ...membershipWriteSteps(db, membership, 'new'),
    // The invitation already holds the seat; the admin count and a custom role's holders move here.
    orgCountersStep(db, target.orgId, { ...counterDelta(undefined, membership), seats: 0 }),
    auditStep(
      db,
      {
        orgId: target.orgId,
        action: 'invitation.accepted',
        target: { type: 'invitation', id: target.invitationId },
        before: { status: 'pending' },
        after: { status: 'accepted', userId: membership.userId },
      },
      actor,
    ),
    auditStep(
      db,
      {
        orgId: target.orgId,
        action: 'member.added',
        target: { type: 'member', id: membership.userId },
        after: {
          email: membership.email,
          name: membership.name,
          role: membership.role,
          teamId: membership.teamId,
          status: membership.status,
          source: 'invitation',
        },
      },
      actor,
    ),
  ].filter((s): s is TransactionStep => s !== undefined);
}

/**
 * The membership an accepted invitation makes; a custom role's org:manage mark is read off the org
 * (one GetItem). A custom role the org deleted while the invitation was pending (deletion counts
 * members, not invitations) gives `member`, as an SSO mapping to a deleted role does: the invitee
 * joins, and an admin may give them another role.
 */
async function membershipFor(
  db: Database,
  target: Target,
  user: { userId: string; name: string },
  now: Date,
): Promise<Membership> {
  const customRoles = isBuiltInRole(target.role) ? undefined : (await getOrg(db, target.orgId, true))?.customRoles;
  const role = roleDefinition(customRoles, target.role) ? target.role : MEMBER_ROLE;
  const membership = newMembership(
    {
      orgId: target.orgId,
      userId: user.userId,
      name: user.name,
      email: target.email,
      role,
      teamId: target.teamId,
      source: 'invitation',
    },
    now,
  );
  return withRole(membership, role, customRoles);
}

/**
 * A new user accepts with a name and a password. Round trips: the token GetItem, the email
 * claim's GetItem (and the holder's user record), then the one transaction (the identity
 * provider's calls aside). An email that already has a Roster account with an identity is told
 * to sign in, its password untouched. One whose account has no identity yet (added, imported or
 * provisioned, never signed in: lazy identities) accepts here, as its first sign-in: its identity
 * is created under its user id. The password is set before the link is spent: a password the
 * provider refuses leaves the invitation pending and usable, and setting it again is harmless.
 * Two concurrent accepts by one person may both set a password: the last one set holds, and
 * exactly one membership per invitation is made.
 */
export async function acceptInvitation(
  deps: { db: Database; identity: IdentityPort },
  token: string,
  input: AcceptInvitationInput,
  audit: AuditContext,
): Promise<Membership> {
  const { db } = deps;
  const problem = passwordProblem(input.password);
  if (problem) throw new ValidationError([{ field: 'password', message: problem }]);
  const tokenHash = sha256(token);
  const target = await targetOf(db, await getInvitationToken(db, tokenHash), tokenHash, audit.now);

  const holderId = await findUserIdByEmail(db, target.email);
  const holder = holderId ? await getUser(db, holderId) : undefined;
  if (holder && holder.identityState !== 'pending') throw signInRequired();
  // The invitation link was mailed to this address: holding it proves the address.
  const ensured = await deps.identity.ensureUser({
    userId: holder?.userId ?? newId(),
    email: target.email,
    name: input.name,
    emailVerified: true,
  });
  if (holder && ensured.userId !== holder.userId)
    throw new ConflictError(
      `${target.email} already has an identity of another user at the identity provider`,
      'email_taken',
    );
  // An identity with a Roster account is someone's: they sign in to accept, their password untouched.
  if (!holder && !ensured.created && (await getUser(db, ensured.userId))) throw signInRequired();
  if (!ensured.created) await deps.identity.markEmailVerified(ensured.userId);
  // The password is set before the link is spent: a password the provider refuses leaves the
  // invitation pending and usable, and setting it again is harmless.
  await deps.identity.setPassword(ensured.userId, input.password);
  const subject = ensured.subject && ensured.subject !== ensured.userId ? ensured.subject : undefined;

  if (holder) {
    // Only once: a concurrent accept of another invitation by the same person is told to sign in.
    const membership = await membershipFor(db, target, holder, audit.now);
    await transactWrite(db, [
      ...acceptSteps(db, target, membership, undefined, audit),
      update(
        db,
        {
          key: userKey(holder.userId),
          updateExpression: subject
            ? 'SET identityState = :created, identitySubject = :subject'
            : 'SET identityState = :created',
          condition: 'identityState = :pending',
          values: { ':created': 'created', ':pending': 'pending', ...(subject ? { ':subject': subject } : {}) },
        },
        signInRequired,
      ),
    ]);
    return membership;
  }
  const now = audit.now.toISOString();
  const user = newUserRecord(
    {
      userId: ensured.userId,
      email: target.email,
      name: input.name,
      createdByOrgId: ensured.created ? target.orgId : null,
    },
    now,
    { identityState: 'created', ...(subject ? { identitySubject: subject } : {}) },
  );
  const membership = await membershipFor(db, target, user, audit.now);
  await transactWrite(db, acceptSteps(db, target, membership, user, audit));
  return membership;
}

/**
 * A signed-in user (password or SSO) accepts with their access token: the route is public, so
 * the token is verified here, then the session-revocation rule of authorization applies. Round
 * trips: one consistent BatchGetItem (token item and user record), then the one transaction.
 * The invitation's email must be the user's, case-insensitively. An identity Roster has no
 * record of yet (a first SSO sign-in) gets its record and email claim in the same transaction.
 */
export async function acceptInvitationAsUser(
  deps: { db: Database; identity: IdentityPort; verifier: TokenVerifier },
  token: string,
  bearer: string,
  audit: AuditContext,
): Promise<Membership> {
  const { db } = deps;
  const verified = await deps.verifier.verify(bearer);
  if (!verified) throw invalidAccessToken();
  const tokenHash = sha256(token);
  const items = await batchGetConsistent(db, [tokenKey(tokenHash), userKey(verified.sub)]);
  const userItem = items.find((i) => i.PK === userKey(verified.sub).PK && i.SK === userKey(verified.sub).SK);
  const record = userItem ? userFromItem(userItem) : undefined;
  rejectRevokedSession(record, verified.issuedAtMs);
  const target = await targetOf(
    db,
    invitationTokenFromItem(items.find((i) => i.PK === tokenKey(tokenHash).PK)),
    tokenHash,
    audit.now,
  );

  let newUser: User | undefined;
  let email = record?.email;
  if (!record) {
    const known = await deps.identity.getUser(verified.sub);
    if (!known?.enabled) throw invalidAccessToken();
    email = known.email;
    const now = audit.now.toISOString();
    newUser = newUserRecord(
      {
        userId: verified.sub,
        email: normalizeEmail(known.email),
        name: known.email.split('@')[0] ?? known.email,
        createdByOrgId: null,
      },
      now,
      { mfaEnabled: known.mfaEnabled },
    );
  }
  if (!email || normalizeEmail(email) !== normalizeEmail(target.email)) {
    throw new ForbiddenError(
      `This invitation is for ${target.email}; you are signed in as ${email ?? 'another user'}`,
      'invitation_email_mismatch',
    );
  }
  const membership = await membershipFor(
    db,
    target,
    { userId: verified.sub, name: record?.name ?? newUser?.name ?? target.email },
    audit.now,
  );
  try {
    await transactWrite(db, acceptSteps(db, target, membership, newUser, audit));
  } catch (error) {
    // Only a record-less identity writes the email claim: held by someone else, it is not this user's.
    if (newUser && error instanceof ConflictError && error.code === 'sign_in_required')
      throw new ConflictError(`${target.email} belongs to another Roster account`, 'email_taken');
    throw error;
  }
  // Signed in as the invited address and holding the link mailed to it: the address is proven.
  await deps.identity
    .markEmailVerified(verified.sub)
    .catch((error: unknown) =>
      logger.warn('could not mark the email verified', { userId: verified.sub, error: error as Error }),
    );
  return membership;
}
