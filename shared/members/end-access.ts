import type { Database } from '../data/dynamo-client.js';
import { userKey } from '../data/keys.js';
import { listMembershipsOfUser } from '../data/membership-repository.js';
import { update, type TransactionStep } from '../data/transactions.js';
import { logger } from '../http/handler.js';
import type { IdentityPort } from '../identity/identity-port.js';

/**
 * When a user is about to lose their last active membership, their sessions end too: the
 * user's revocation time (refused on the very next request) goes into the change's own
 * transaction, and the provider's global sign-out follows once it has committed.
 */
export async function sessionEndStepIfLastActive(db: Database, userId: string, leavingOrgId: string, now: Date): Promise<TransactionStep | undefined> {
  const memberships = await listMembershipsOfUser(db, userId);
  if (memberships.some((m) => m.orgId !== leavingOrgId && m.status === 'active')) return undefined;
  return revokeSessionsStep(db, userId, now);
}

/** Tokens issued before `now` are refused from the next request on (see authorize). */
export function revokeSessionsStep(db: Database, userId: string, now: Date): TransactionStep {
  return update(db, { key: userKey(userId), updateExpression: 'SET sessionsRevokedAt = :now', condition: 'attribute_exists(PK)', values: { ':now': now.toISOString() } });
}

/**
 * Ends the provider's sessions (refresh tokens) after the change committed. Roster already
 * refuses the user's tokens by then, so a provider failure is logged rather than undoing it.
 */
export async function signOutEverywhere(identity: IdentityPort, userId: string): Promise<void> {
  try {
    await identity.globalSignOut(userId);
  } catch (error) {
    logger.error('global sign-out failed; Roster-side revocation still holds', { userId, error: error as Error });
  }
}
