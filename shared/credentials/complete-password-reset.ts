import { auditStep, type AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { getUser, userFromItem } from '../users/user-repository.js';
import { signOutEverywhere } from '../members/end-access.js';
import { transactWrite, type TransactionStep } from '../data/transactions.js';
import {
  LinkAccountChangedError,
  readToken,
  restorePasswordToken,
  usePasswordTokenSteps,
  type StoredToken,
} from './password-token.js';
import { GoneError, NotFoundError, ValidationError } from '../errors.js';
import { logger } from '../logger.js';
import type { IdentityPort } from '../identity/identity-port.js';
import { passwordProblem } from '../identity/identity-port.js';
import { setPasswordCreatingIdentity } from '../users/ensure-identity.js';
import { isSsoDomainClaimed, noSsoDomainClaimStep, ssoPasswordBlock, ssoUserError } from '../sso/enforcement.js';
import type { User } from '../users/user.js';

const unknownToken = () => new NotFoundError('This link is not valid; ask for a new one', 'invalid_token');

/**
 * Completes a password reset (or a first admin's set-password). Round trips: the token's
 * GetItem, then ONE transaction that deletes the token (so it works exactly once, even when
 * used concurrently), checks that the account's links were not voided after it was issued,
 * that the account still has the address the link went to and that the address's domain has
 * no SSO connection, ends every earlier session and voids every other link issued before now,
 * and writes the audit event. Then the provider sets the password (creating the identity of a
 * person who has none yet: one more write, recording it). A provider failure puts the token
 * back (restorePasswordToken) so the link can be retried.
 * Only an account whose address changed since, or whose domain has an SSO connection, is read
 * (and checked against its org's SSO requirement) before a second attempt of the transaction.
 */
export async function completePasswordReset(
  deps: { db: Database; identity: IdentityPort },
  token: string,
  password: string,
  audit: AuditContext,
): Promise<void> {
  const problem = passwordProblem(password);
  if (problem) throw new ValidationError([{ field: 'password', message: problem }]);
  const Item = await readToken(deps.db, token);
  if (!Item || Item.kind !== 'password_reset') throw unknownToken();
  if (Date.parse(Item.expiresAt as string) <= audit.now.getTime())
    throw new GoneError('This link has expired; ask for a new one', 'token_expired');

  const userId = Item.userId as string;
  const at = audit.now.toISOString();
  let account: Pick<User, 'email'> & Partial<Pick<User, 'name'>>;
  try {
    // Most accounts still have the address the link went to, in a domain with no SSO connection.
    await transactWrite(deps.db, completionSteps(deps.db, Item, Item.email as string, true, audit));
    account = { email: Item.email as string, ...(typeof Item.name === 'string' ? { name: Item.name } : {}) };
  } catch (error) {
    if (!(error instanceof LinkAccountChangedError || isSsoDomainClaimed(error))) throw error;
    const user =
      error instanceof LinkAccountChangedError
        ? error.current && userFromItem(error.current)
        : await getUser(deps.db, userId);
    if (!user) throw new NotFoundError('No such user');
    // A link mailed before the org required SSO sets no password the account may no longer use.
    const ssoBlock = await ssoPasswordBlock(deps.db, user);
    if (ssoBlock) throw ssoUserError(ssoBlock);
    await transactWrite(deps.db, completionSteps(deps.db, Item, user.email, false, audit));
    account = user;
  }
  try {
    // A person added, imported or provisioned gets their identity here, on their first link (lazy identities).
    await setPasswordCreatingIdentity(deps, userId, password, account);
  } catch (error) {
    await restorePasswordToken(deps.db, Item, at).catch((restoreError: unknown) =>
      logger.error('could not restore a password token', { error: restoreError as Error }),
    );
    throw error;
  }
  // Roster already refuses the earlier sessions (the transaction); the provider's refresh tokens end too.
  await signOutEverywhere(deps.identity, userId);
  // The link went to this address: opening it proves the address, if it is still the account's.
  if (account.email === Item.email) await deps.identity.markEmailVerified(userId);
}

/** The completing transaction; `checkDomain`: whether the address's domain must have no SSO connection. */
function completionSteps(
  db: Database,
  item: StoredToken,
  email: string,
  checkDomain: boolean,
  audit: AuditContext,
): TransactionStep[] {
  const userId = item.userId as string;
  const orgId = (item.orgId as string | null | undefined) ?? null;
  return [
    ...usePasswordTokenSteps(db, item, { email, at: audit.now.toISOString() }, unknownToken),
    ...(checkDomain ? [noSsoDomainClaimStep(db, email)] : []),
    ...(orgId === null
      ? []
      : [
          auditStep(
            db,
            { orgId, action: 'member.password_reset_completed', target: { type: 'member', id: userId } },
            { ...audit, actor: { type: 'user', id: userId, email: item.email as string } },
          ),
        ]),
  ];
}
