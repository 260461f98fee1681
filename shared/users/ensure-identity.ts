import type { Database } from '../data/dynamo-client.js';
import { getUser, recordIdentityCreated } from './user-repository.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { IdentityNotFoundError, type IdentityPort } from '../identity/identity-port.js';
import type { User } from './user.js';

interface Deps {
  db: Database;
  identity: IdentityPort;
}

/**
 * Lazy identities: creates the provider identity of a Roster user, under that user's id, the
 * first time one is needed (a completed set-password or reset link, an accepted invitation).
 * Safe to repeat and to race (the port's ensureUser). The user record then says `created`, and
 * keeps the provider's own id when it is not the user id (Cognito generates its usernames).
 * An email whose identity belongs to another user id (one Roster does not know) is a conflict.
 */
export async function createIdentity(
  deps: Deps,
  user: Pick<User, 'userId' | 'email' | 'name' | 'identityState' | 'identitySubject'>,
): Promise<void> {
  // Created when its owner uses a link mailed to the address (set-password, reset): the address is proven.
  const ensured = await deps.identity.ensureUser({
    userId: user.userId,
    email: user.email,
    name: user.name,
    emailVerified: true,
  });
  if (ensured.userId !== user.userId)
    throw new ConflictError(
      `${user.email} already has an identity of another user at the identity provider`,
      'email_taken',
    );
  const subject = ensured.subject && ensured.subject !== user.userId ? ensured.subject : undefined;
  if (user.identityState !== 'pending' && subject === user.identitySubject) return;
  await recordIdentityCreated(deps.db, user.userId, subject);
}

/**
 * Sets the password the person chose, creating their identity first when they have none yet:
 * a pending user's set-password or reset link is where their identity begins. Users with an
 * identity pay nothing more than the provider's call.
 */
export async function setPasswordCreatingIdentity(deps: Deps, userId: string, password: string): Promise<void> {
  try {
    await deps.identity.setPassword(userId, password);
    return;
  } catch (error) {
    if (!(error instanceof IdentityNotFoundError)) throw error;
  }
  const user = await getUser(deps.db, userId);
  if (!user) throw new NotFoundError('No such user');
  // Whatever the record says: the provider has no identity for this user, so it is pending.
  await createIdentity(deps, { ...user, identityState: 'pending' });
  await deps.identity.setPassword(userId, password);
}
