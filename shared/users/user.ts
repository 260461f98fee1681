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
