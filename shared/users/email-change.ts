import { auditStep, type AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { normalizeEmail } from '../data/keys.js';
import { listMembershipsOfUser, getMembership } from '../members/membership-repository.js';
import { transactWrite, type TransactionStep } from '../data/transactions.js';
import { emailClaimStep, findUserIdByEmail, getUser, releaseEmailClaimStep, userEmailStep } from './user-repository.js';
import { consumeTokenStep, readToken, tokenItemStep } from '../credentials/password-token.js';
import { ConflictError, GoneError, NotFoundError } from '../errors.js';
import { logger } from '../logger.js';
import type { IdentityPort } from '../identity/identity-port.js';
import { newSecret } from '../ids.js';
import { memberMailSteps } from '../mail/member-mail.js';
import { membershipWriteSteps } from '../members/membership-steps.js';

/** Email-confirmation links live 72 hours, as password links do. */
export const EMAIL_CONFIRMATION_TTL_HOURS = 72;
const KIND = 'email_confirmation' as const;

export const emailTaken = (email: string) =>
  new ConflictError(`The email ${email} belongs to another user`, 'email_taken');
const unknownToken = () => new NotFoundError('This link is not valid; ask for a new one', 'invalid_token');

/** 409 `email_taken` now rather than at confirmation, when another user already holds the address. */
export async function assertEmailFree(db: Database, userId: string, email: string): Promise<void> {
  const holder = await findUserIdByEmail(db, email);
  if (holder && holder !== userId) throw emailTaken(email);
}

/**
 * Moves the platform-wide email claim and rewrites the address on the user and on every
 * membership but `except` (the caller writes that one itself), as steps of one transaction:
 * uniqueness is the claim's condition, never a read.
 */
export async function emailChangeSteps(
  db: Database,
  user: { userId: string; email: string },
  email: string,
  except?: { orgId: string; clearPending?: boolean },
): Promise<TransactionStep[]> {
  await assertEmailFree(db, user.userId, email);
  const others = (await listMembershipsOfUser(db, user.userId)).filter((m) => m.orgId !== except?.orgId);
  return [
    emailClaimStep(db, user.userId, email, () => emailTaken(email)),
    releaseEmailClaimStep(db, user.userId, user.email),
    userEmailStep(db, user.userId, email),
    ...others.flatMap((m) =>
      membershipWriteSteps(
        db,
        { ...m, email, pendingEmail: m.pendingEmail === email ? null : (m.pendingEmail ?? null) },
        m.version,
      ),
    ),
  ];
}

/**
 * A single-use confirmation link mailed to the new address, as steps of the caller's
 * transaction (token item by its SHA-256, outbox mail). The address changes only when its
 * owner opens the link (confirmEmailChange).
 */
export async function emailConfirmationSteps(
  db: Database,
  request: { orgId: string; userId: string; name: string; email: string; orgName: string; appUrl: string; now: Date },
): Promise<TransactionStep[]> {
  const token = newSecret();
  const expiresAt = new Date(request.now.getTime() + EMAIL_CONFIRMATION_TTL_HOURS * 3600_000);
  const link = `${request.appUrl.replace(/\/$/, '')}/email-confirmations/${token}`;
  return [
    tokenItemStep(db, token, {
      kind: KIND,
      orgId: request.orgId,
      userId: request.userId,
      email: request.email,
      createdAt: request.now.toISOString(),
      expiresAt: expiresAt.toISOString(),
    }),
    // The member's detail shows this mail's delivery state (member-mail.ts).
    ...(await memberMailSteps(
      db,
      {
        template: 'email_confirmation',
        to: request.email,
        data: { name: request.name, orgName: request.orgName, link, expiresAt: expiresAt.toISOString() },
      },
      request.now,
      { orgId: request.orgId, userId: request.userId },
    )),
  ];
}

/**
 * `POST /v1/email-confirmations/{token}`: the new address is proven, so the account takes it
 * (Cognito `email_verified` true). Single use (the token is deleted in the change's
 * transaction); a link superseded by a later change of the same member, or expired, fails.
 */
export async function confirmEmailChange(
  deps: { db: Database; identity: IdentityPort },
  token: string,
  audit: AuditContext,
): Promise<{ userId: string; email: string }> {
  const { db } = deps;
  const item = await readToken(db, token);
  if (!item || item.kind !== KIND) throw unknownToken();
  if (Date.parse(item.expiresAt as string) <= audit.now.getTime())
    throw new GoneError('This link has expired; ask for a new one', 'token_expired');
  const orgId = item.orgId as string;
  const userId = item.userId as string;
  const email = normalizeEmail(item.email as string);
  const [user, membership] = await Promise.all([getUser(db, userId), getMembership(db, orgId, userId)]);
  if (!user || !membership || membership.pendingEmail !== email) throw unknownToken();

  const steps = [
    consumeTokenStep(db, item, unknownToken),
    ...membershipWriteSteps(
      db,
      { ...membership, email, pendingEmail: null, updatedAt: audit.now.toISOString() },
      membership.version,
    ),
    ...(user.email === email ? [] : await emailChangeSteps(db, user, email, { orgId })),
    auditStep(
      db,
      {
        orgId,
        action: 'member.email_confirmed',
        target: { type: 'member', id: userId },
        before: { email: user.email },
        after: { email },
      },
      { ...audit, actor: { type: 'user', id: userId, email } },
    ),
  ];
  await deps.identity.updateEmail(userId, email);
  try {
    await transactWrite(db, steps);
  } catch (error) {
    await restoreIdentityEmail(deps.identity, userId, user.email);
    throw error;
  }
  return { userId, email };
}

export async function restoreIdentityEmail(
  identity: Pick<IdentityPort, 'updateEmail'>,
  userId: string,
  email: string,
): Promise<void> {
  try {
    await identity.updateEmail(userId, email);
  } catch (error) {
    logger.error('could not restore the identity email after a failed change', { userId, error: error as Error });
  }
}
