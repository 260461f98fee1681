/**
 * The identity provider, as Roster needs it. Cognito holds passwords, MFA factors and
 * sessions in AWS; the local adapter keeps the same promises in the table for npm start and
 * tests. User ids are the provider's subject (`sub`), which is also the JWT's `sub`.
 */
export interface IdentityUser {
  userId: string;
  email: string;
  enabled: boolean;
  mfaEnabled: boolean;
}

export interface NewIdentity {
  email: string;
  name: string;
  /**
   * The provider's `email_verified` for a new identity: true only for an address proven (the
   * person holds a link mailed to it) or in a verified domain of the creating org (DESIGN.md
   * section 1). Default false; an existing identity is left as it is.
   */
  emailVerified?: boolean;
}

export interface EnsuredIdentity {
  userId: string;
  /** False when the email already had an identity (that one is answered). */
  created: boolean;
}

export interface IdentityPort {
  /**
   * Creates an identity for the email without any mail from the provider (Roster sends its
   * own), or returns the one that already holds it. Safe to repeat and to race.
   */
  ensureUser(input: NewIdentity): Promise<EnsuredIdentity>;
  /**
   * ensureUser for many people at once (a bulk import), with the same promises for each; the
   * answer is keyed by normalized email. Adapters batch what their provider can batch and pace
   * what it throttles.
   */
  ensureUsers(inputs: readonly NewIdentity[]): Promise<Map<string, EnsuredIdentity>>;
  getUser(userId: string): Promise<IdentityUser | undefined>;
  disableUser(userId: string): Promise<void>;
  enableUser(userId: string): Promise<void>;
  /** Ends every session: refresh tokens stop working at the provider. */
  globalSignOut(userId: string): Promise<void>;
  /** Sets a permanent password (the user chose it through a reset or invitation link). */
  setPassword(userId: string, password: string): Promise<void>;
  /** Turns off every MFA factor; the user must enrol again. */
  disableMfa(userId: string): Promise<void>;
  updateEmail(userId: string, email: string): Promise<void>;
  /** Marks the identity's current email proven (`email_verified` true): its owner used a link mailed to it. */
  markEmailVerified(userId: string): Promise<void>;
}

/** Password rules shared by every adapter (Cognito's pool is configured to the same). */
export const PASSWORD_POLICY = { minLength: 12, requireLower: true, requireUpper: true, requireDigit: true, requireSymbol: true } as const;

/** Why a password breaks the policy, or null when it meets it. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_POLICY.minLength) return `must be at least ${PASSWORD_POLICY.minLength} characters`;
  if (password.length > 256) return 'must be at most 256 characters';
  if (!/[a-z]/.test(password)) return 'must contain a lower-case letter';
  if (!/[A-Z]/.test(password)) return 'must contain an upper-case letter';
  if (!/[0-9]/.test(password)) return 'must contain a digit';
  if (!/[^A-Za-z0-9]/.test(password)) return 'must contain a symbol';
  return null;
}
