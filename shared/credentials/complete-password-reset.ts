import { auditStep, type AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { endSessionsAndPasswordLinks, getUser } from '../users/user-repository.js';
import { signOutEverywhere } from '../members/end-access.js';
import { transactWrite } from '../data/transactions.js';
import { consumePasswordTokenSteps, readToken, restoreToken } from './password-token.js';
import { GoneError, NotFoundError, ValidationError } from '../errors.js';
import { logger } from '../logger.js';
import type { IdentityPort } from '../identity/identity-port.js';
import { passwordProblem } from '../identity/identity-port.js';
import { setPasswordCreatingIdentity } from '../users/ensure-identity.js';
import { ssoPasswordBlock, ssoUserError } from '../sso/enforcement.js';

const unknownToken = () => new NotFoundError('This link is not valid; ask for a new one', 'invalid_token');

/**
 * Completes a password reset (or a first admin's set-password): the token is claimed by a
 * conditional delete, so it works exactly once even when used concurrently; then the password
 * is set at the provider. A provider failure puts the token back so the link can be retried.
 * Once set, every earlier session ends and every other link issued before it is refused.
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
  const orgId = (Item.orgId as string | null | undefined) ?? null;
  // A link mailed before the org required SSO sets no password the account may no longer use.
  const user = await getUser(deps.db, userId);
  const ssoBlock = user ? await ssoPasswordBlock(deps.db, user) : null;
  if (ssoBlock) throw ssoUserError(ssoBlock);
  const at = audit.now.toISOString();
  await transactWrite(deps.db, [
    ...consumePasswordTokenSteps(deps.db, Item, unknownToken),
    ...(orgId === null
      ? []
      : [
          auditStep(
            deps.db,
            { orgId, action: 'member.password_reset_completed', target: { type: 'member', id: userId } },
            { ...audit, actor: { type: 'user', id: userId, email: Item.email as string } },
          ),
        ]),
  ]);
  try {
    // A person added, imported or provisioned gets their identity here, on their first link (lazy identities).
    await setPasswordCreatingIdentity(deps, userId, password);
  } catch (error) {
    await restoreToken(deps.db, Item).catch((restoreError: unknown) =>
      logger.error('could not restore a password token', { error: restoreError as Error }),
    );
    throw error;
  }
  // The new password is set: every earlier session ends, and every other outstanding link dies.
  await endSessionsAndPasswordLinks(deps.db, userId, at);
  await signOutEverywhere(deps.identity, userId);
  // The link went to this address: opening it proves the address, if it is still the account's.
  if ((await getUser(deps.db, userId))?.email === Item.email) await deps.identity.markEmailVerified(userId);
}
