/**
 * The identity provider, as Roster needs it. Cognito holds passwords, MFA factors and
 * sessions in AWS; the local adapter keeps the same promises in the table for npm start and
 * tests. Methods take Roster's user id. Identities are created lazily: a Roster user may have
 * none yet (User.identityState `pending`), and then every method below but ensureUser and
 * setPassword is the no-op it should be (nothing to disable, sign out or reset); getUser
 * answers undefined and setPassword throws IdentityNotFoundError.
 *
 * An identity created for a Roster user carries that user's id: locally as its id, in Cognito
 * (whose usernames and subs it generates itself) as the immutable attribute
 * `custom:roster_user_id`, which the pre-token-generation trigger puts into the tokens as the
 * `roster_user_id` claim. Older identities have the user id as their `sub`.
 */
/** The immutable Cognito attribute holding the Roster user id of an identity created for an existing Roster user. */
export const ROSTER_USER_ID_ATTRIBUTE = 'custom:roster_user_id';
/** The token claim the pre-token-generation trigger copies it into (functions/triggers/pre-token-generation.ts). */
export const ROSTER_USER_ID_CLAIM = 'roster_user_id';

/**
 * The Roster user a token's or a trigger's subject is: the user id claim or attribute when the
 * identity was created for a Roster user (Cognito chose its sub), else the sub itself.
 */
export function rosterUserIdOf(
  claims: Readonly<Record<string, unknown>>,
  key: typeof ROSTER_USER_ID_CLAIM | typeof ROSTER_USER_ID_ATTRIBUTE,
): string | undefined {
  const own = claims[key];
  if (typeof own === 'string' && own !== '') return own;
  return typeof claims.sub === 'string' && claims.sub !== '' ? claims.sub : undefined;
}

export interface IdentityUser {
  userId: string;
  email: string;
  enabled: boolean;
  mfaEnabled: boolean;
}

export interface NewIdentity {
  /** The Roster user the identity is for. */
  userId: string;
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
  /** The Roster user id the identity carries: the one asked for, unless the email already had an identity (that one is answered). */
  userId: string;
  /** False when the email already had an identity. */
  created: boolean;
  /** The provider's own id for the identity when it is not the user id (Cognito's generated username). */
  subject?: string;
}

/** The user has no identity at the provider yet (a pending Roster user). */
export class IdentityNotFoundError extends Error {
  constructor(readonly userId: string) {
    super(`User ${userId} has no identity at the identity provider yet`);
    this.name = 'IdentityNotFoundError';
  }
}

/**
 * A federated identity provider as the user pool holds it (one per SSO connection). Its client
 * secret lives only here, at the provider (Cognito in AWS, local items in npm start): Roster's
 * connection item never holds one.
 */
export interface FederatedProvider {
  /** Cognito IdP name, unique across orgs (at most 32 characters, no `_`), e.g. `oidc-<short id>`. */
  providerName: string;
  protocol: 'oidc' | 'saml';
  /** The connection's email domains (Cognito `idp_identifier`). */
  idpIdentifiers: string[];
  oidc?: { issuer: string; clientId: string; clientSecret: string; scopes: string[] };
  saml?: { metadataUrl?: string; metadataXml?: string; idpInitiated: boolean };
  /** Cognito attribute → IdP claim: email, name, custom:groups … */
  attributeMapping: Record<string, string>;
}

/** A federated identity: the provider it signed in through and its subject there. */
export interface FederatedIdentity {
  providerName: string;
  subject: string;
}

/** A provider as the pool lists it: its name and when it was created. */
export interface ListedIdentityProvider {
  providerName: string;
  createdAt: Date;
}

/** The user pool's identity provider quota is reached (Cognito's LimitExceededException). */
export class IdentityProviderQuotaError extends Error {
  constructor() {
    super('The user pool holds as many identity providers as it may');
    this.name = 'IdentityProviderQuotaError';
  }
}

export interface IdentityPort {
  /**
   * Creates the identity of Roster user `userId` without any mail from the provider (Roster
   * sends its own), or answers the one that already holds the email. Safe to repeat and to race.
   */
  ensureUser(input: NewIdentity): Promise<EnsuredIdentity>;
  getUser(userId: string): Promise<IdentityUser | undefined>;
  disableUser(userId: string): Promise<void>;
  enableUser(userId: string): Promise<void>;
  /** Ends every session: refresh tokens stop working at the provider. */
  globalSignOut(userId: string): Promise<void>;
  /** Sets a permanent password (the user chose it through a reset or invitation link); IdentityNotFoundError when there is no identity yet. */
  setPassword(userId: string, password: string): Promise<void>;
  /** Turns off every MFA factor; the user must enrol again. */
  disableMfa(userId: string): Promise<void>;
  /**
   * The person's own choice of the authenticator-app factor (Cognito's SetUserMFAPreference,
   * made by Roster on their behalf): on needs a factor verified first (`not_verified` otherwise).
   */
  setSoftwareTokenMfa(userId: string, enabled: boolean): Promise<'ok' | 'not_verified'>;
  updateEmail(userId: string, email: string): Promise<void>;
  /** Marks the identity's current email proven (`email_verified` true): its owner used a link mailed to it. */
  markEmailVerified(userId: string): Promise<void>;
  /** Creates or updates a federated provider; IdentityProviderQuotaError when the pool holds its maximum. */
  putIdentityProvider(provider: FederatedProvider): Promise<void>;
  /** The provider as held (with its secret), or undefined. */
  getIdentityProvider(providerName: string): Promise<FederatedProvider | undefined>;
  /** Deletes a federated provider; nothing to do when it is gone. */
  deleteIdentityProvider(providerName: string): Promise<void>;
  /** Every identity provider of the pool (Roster's and any others an imported pool holds). */
  listIdentityProviders(): Promise<ListedIdentityProvider[]>;
  /** The SPA client's supported providers become the password sign-in (COGNITO) plus exactly these. */
  setClientIdentityProviders(providerNames: readonly string[]): Promise<void>;
  /** The SPA client's supported providers as it holds them (COGNITO among them). */
  clientIdentityProviders(): Promise<string[]>;
  /**
   * Links a federated identity to the identity of Roster user `userId` (Cognito's
   * AdminLinkProviderForUser), so signing in through the provider is signing in as that user and
   * the user id never changes. The user must have an identity (ensureUser first).
   */
  linkFederatedIdentity(userId: string, federated: FederatedIdentity): Promise<void>;
}

/** Password rules shared by every adapter (Cognito's pool is configured to the same). */
export const PASSWORD_POLICY = {
  minLength: 12,
  requireLower: true,
  requireUpper: true,
  requireDigit: true,
  requireSymbol: true,
} as const;

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
