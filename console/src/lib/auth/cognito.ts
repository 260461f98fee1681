import type { ConsoleConfig } from '../config';

/**
 * The few actions of Cognito's user-pool JSON API the console uses, called with fetch: the
 * AWS SDK's Cognito client alone would take most of the 200 KB initial-JavaScript budget, and
 * these calls need no AWS signature (the app client is public; tokens authorize the rest).
 */
export interface AuthTokens {
  accessToken: string;
  /** Absent after a refresh (Cognito keeps the one it has). */
  refreshToken?: string;
  expiresAt: number;
}

export type SignInResult = { kind: 'signedIn'; tokens: AuthTokens } | { kind: 'mfa'; session: string; email: string };

/** Cognito's error answer `{__type, message}`: the message is shown as it is. */
export class CognitoError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

interface CognitoAuthResult {
  AuthenticationResult?: { AccessToken: string; RefreshToken?: string; ExpiresIn: number };
  ChallengeName?: string;
  Session?: string;
}

async function call<T>(config: ConsoleConfig, action: string, body: Record<string, unknown>): Promise<T> {
  const res = await fetch(config.cognito.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${action}`,
    },
    body: JSON.stringify(body),
  });
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) {
    const type =
      String(json.__type ?? 'UnknownError')
        .split('#')
        .pop() ?? 'UnknownError';
    throw new CognitoError(type, String(json.message ?? json.Message ?? `Sign-in service answered ${res.status}`));
  }
  return json as T;
}

const tokensOf = (
  result: NonNullable<CognitoAuthResult['AuthenticationResult']>,
  refreshToken?: string,
): AuthTokens => ({
  accessToken: result.AccessToken,
  ...((result.RefreshToken ?? refreshToken) ? { refreshToken: result.RefreshToken ?? refreshToken } : {}),
  expiresAt: Date.now() + result.ExpiresIn * 1000,
});

function signInResult(out: CognitoAuthResult, email: string): SignInResult {
  if (out.AuthenticationResult) return { kind: 'signedIn', tokens: tokensOf(out.AuthenticationResult) };
  if (out.ChallengeName === 'SOFTWARE_TOKEN_MFA' && out.Session) return { kind: 'mfa', session: out.Session, email };
  throw new CognitoError(
    'UnsupportedChallenge',
    `This sign-in needs a step the console does not support (${out.ChallengeName ?? 'none'}).`,
  );
}

export async function signInWithPassword(
  config: ConsoleConfig,
  email: string,
  password: string,
): Promise<SignInResult> {
  const out = await call<CognitoAuthResult>(config, 'InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: config.cognito.clientId,
    AuthParameters: { USERNAME: email, PASSWORD: password },
  });
  return signInResult(out, email);
}

export async function answerMfaChallenge(
  config: ConsoleConfig,
  session: string,
  email: string,
  code: string,
): Promise<AuthTokens> {
  const out = await call<CognitoAuthResult>(config, 'RespondToAuthChallenge', {
    ChallengeName: 'SOFTWARE_TOKEN_MFA',
    ClientId: config.cognito.clientId,
    Session: session,
    ChallengeResponses: { USERNAME: email, SOFTWARE_TOKEN_MFA_CODE: code },
  });
  const result = signInResult(out, email);
  if (result.kind !== 'signedIn') throw new CognitoError('CodeMismatchException', 'Invalid code received for user');
  return result.tokens;
}

export async function refreshTokens(config: ConsoleConfig, refreshToken: string): Promise<AuthTokens> {
  const out = await call<CognitoAuthResult>(config, 'InitiateAuth', {
    AuthFlow: 'REFRESH_TOKEN_AUTH',
    ClientId: config.cognito.clientId,
    AuthParameters: { REFRESH_TOKEN: refreshToken },
  });
  if (!out.AuthenticationResult) throw new CognitoError('NotAuthorizedException', 'Refresh Token has expired');
  return tokensOf(out.AuthenticationResult, refreshToken);
}

/** TOTP enrolment, step 1: the secret to show as a QR code and as text. */
export async function associateSoftwareToken(config: ConsoleConfig, accessToken: string): Promise<string> {
  const out = await call<{ SecretCode: string }>(config, 'AssociateSoftwareToken', { AccessToken: accessToken });
  return out.SecretCode;
}

/**
 * TOTP enrolment, step 2: proves the authenticator works. Turning the factor on is Roster's
 * (PUT /v1/me/mfa): Cognito's own SetUserMFAPreference is blocked for the app.
 */
export async function verifySoftwareToken(config: ConsoleConfig, accessToken: string, code: string): Promise<void> {
  const out = await call<{ Status: string }>(config, 'VerifySoftwareToken', {
    AccessToken: accessToken,
    UserCode: code,
    FriendlyDeviceName: 'Authenticator',
  });
  if (out.Status !== 'SUCCESS') throw new CognitoError('EnableSoftwareTokenMFAException', 'Code mismatch');
}

export async function globalSignOut(config: ConsoleConfig, accessToken: string): Promise<void> {
  await call(config, 'GlobalSignOut', { AccessToken: accessToken });
}
