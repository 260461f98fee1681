/** How a user signs in: with a Roster/Cognito password, or through an org's SSO IdP. */
export type AuthSource = { kind: 'password' } | { kind: 'sso'; idp: string };

export interface User {
  userId: string;
  /** Normalized (trimmed, lower-case); unique platform-wide. */
  email: string;
  name: string;
  authSource: AuthSource;
  mfaEnabled: boolean;
  /** Tokens issued before this instant are refused (revoke-sessions, suspend, deprovision). */
  sessionsRevokedAt: string | null;
  lastLoginAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** The org whose add, invitation, import, SCIM push or creation made this account; null when none did. */
  createdByOrgId: string | null;
  /** In the platform_admin group (recorded when seen: seed, sign-in through the API); no org manages it. */
  platformOperator: boolean;
  /**
   * Whether the person has an identity at the provider (Cognito) yet. An imported, added or
   * SCIM-created person is a Roster user at once and `pending` until first needed (a completed
   * set-password or reset link, an accepted invitation), when ensureIdentity creates it under
   * this user id. Absent means created: every user recorded before lazy identities has one.
   */
  identityState?: IdentityState;
  /**
   * The provider's own id for the identity when it is not the user id (Cognito generates the
   * username of an identity created for an existing Roster user); absent when they are the same.
   */
  identitySubject?: string;
}

export type IdentityState = 'pending' | 'created';

/**
 * A user recorded now (`at`): a password account with no sign-in, no MFA and no revoked sessions
 * yet; `more` sets what differs (a platform operator, the identity's state or subject, MFA).
 */
export function newUserRecord(
  user: Pick<User, 'userId' | 'email' | 'name' | 'createdByOrgId'>,
  at: string,
  more: Partial<Pick<User, 'mfaEnabled' | 'platformOperator' | 'identityState' | 'identitySubject'>> = {},
): User {
  return {
    ...user,
    authSource: { kind: 'password' },
    mfaEnabled: false,
    sessionsRevokedAt: null,
    lastLoginAt: null,
    createdAt: at,
    updatedAt: at,
    platformOperator: false,
    ...more,
  };
}

export function userView(u: User) {
  return {
    userId: u.userId,
    email: u.email,
    name: u.name,
    authSource: u.authSource,
    mfaEnabled: u.mfaEnabled,
    lastLoginAt: u.lastLoginAt,
    createdAt: u.createdAt,
  };
}
