import { signInRefusal } from '../credentials/sign-in.js';
import { ssoPasswordBlock, ssoPasswordRefusal } from '../sso/enforcement.js';
import type { Database } from '../data/dynamo-client.js';
import { normalizeEmail } from '../data/keys.js';
import { findUserIdByEmail, getUser, recordIdentityCreated } from './user-repository.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { IdentityNotFoundError, ROSTER_USER_ID_ATTRIBUTE, type IdentityPort } from '../identity/identity-port.js';
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
 * identity pay nothing more than the provider's call. A lazy identity costs the write recording
 * it, and a read of the user unless the caller knows the account's address and name (`known`:
 * the address the caller checked the account still has).
 */
export async function setPasswordCreatingIdentity(
  deps: Deps,
  userId: string,
  password: string,
  known?: Pick<User, 'email'> & Partial<Pick<User, 'name'>>,
): Promise<void> {
  try {
    await deps.identity.setPassword(userId, password);
    return;
  } catch (error) {
    if (!(error instanceof IdentityNotFoundError)) throw error;
  }
  const user =
    known?.name === undefined ? await getUser(deps.db, userId) : { userId, email: known.email, name: known.name };
  if (!user) throw new NotFoundError('No such user');
  // Whatever the record says: the provider has no identity for this user, so it is pending.
  await createIdentity(deps, { ...user, identityState: 'pending' });
  await deps.identity.setPassword(userId, password);
}

/** Cognito's user-migration trigger sources (functions/triggers/user-migration.ts). */
export type MigrationTrigger = 'UserMigration_Authentication' | 'UserMigration_ForgotPassword';

/** What the user-migration trigger answers Cognito, which then creates the identity itself. */
export interface IdentityMigration {
  userId: string;
  userAttributes: Record<string, string>;
  /** Set at a sign-in: Cognito then answers PasswordResetRequiredException, and the reset code proves the address. */
  finalUserStatus?: 'RESET_REQUIRED';
  /** Cognito's welcome mail stays off, as with every identity Roster creates. */
  messageAction: 'SUPPRESS';
}

/** The trigger refuses: Cognito creates nothing and shows the message (the sign-in or reset fails). */
export class MigrationRefusedError extends Error {}

/**
 * Lazy identities through Cognito's user-migration trigger: Cognito asks when someone signs in
 * with a password or asks for a password reset under an email it has no identity for. If that
 * email is a Roster user's (an added, imported or SCIM-created person whose identity is still
 * pending), the identity is created under the same user id (ROSTER_USER_ID_ATTRIBUTE, which the
 * pre-token-generation trigger puts into the tokens); Cognito itself creates it once, so a repeat
 * or a race creates nothing twice, and the user record says `created` at the first sign-in
 * (recordSignIn, which knows Cognito's username).
 *
 * - `UserMigration_ForgotPassword`: the identity is created and Cognito mails its reset code to
 *   the address: setting the password with it proves the address, as Roster's own links do.
 * - `UserMigration_Authentication`: a pending person has no password, so the one typed cannot be
 *   checked and must not become theirs (anyone knowing the email could claim the account). The
 *   identity is created with RESET_REQUIRED: the sign-in fails with PasswordResetRequiredException
 *   and managed login moves on to the reset code sent to the address.
 *
 * Refused: an email Roster does not know, a person who signs in through their organization's
 * identity provider, one every org that manages them has suspended (signInRefusal), and one
 * whose org requires SSO for their address (ssoPasswordBlock).
 * `email_verified` is set so that Cognito may send the code there; only the code's use proves it.
 */
export async function identityToMigrate(
  db: Database,
  trigger: MigrationTrigger,
  userName: string,
): Promise<IdentityMigration> {
  const email = normalizeEmail(userName);
  const userId = email.includes('@') ? await findUserIdByEmail(db, email) : undefined;
  const user = userId ? await getUser(db, userId) : undefined;
  // Cognito's own wording for an unknown user: the trigger must not say more than the pool would.
  if (!user) throw new MigrationRefusedError('User does not exist.');
  if (user.authSource.kind !== 'password')
    throw new MigrationRefusedError("This account signs in through its organization's identity provider.");
  const refusal = await signInRefusal(db, user.userId);
  if (refusal) throw new MigrationRefusedError(refusal);
  // An org that requires SSO for the address: no password identity (the pre-authentication trigger's rule).
  const block = await ssoPasswordBlock(db, user);
  if (block) throw new MigrationRefusedError(ssoPasswordRefusal(block));
  return {
    userId: user.userId,
    userAttributes: {
      email: user.email,
      email_verified: 'true',
      name: user.name,
      [ROSTER_USER_ID_ATTRIBUTE]: user.userId,
    },
    ...(trigger === 'UserMigration_Authentication' ? { finalUserStatus: 'RESET_REQUIRED' as const } : {}),
    messageAction: 'SUPPRESS',
  };
}
