import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomUUID,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** A public signing key as published in a JWKS document. */
export type Jwk = {
  kty: 'RSA';
  kid: string;
  alg: 'RS256';
  use: 'sig';
  n: string;
  e: string;
};

export type Jwks = { keys: Jwk[] };

/** Who a token is for: an identity as LocalIdentity.verifyPassword reports it. */
export interface TokenSubject {
  userId: string;
  email: string;
  groups: readonly string[];
}

/**
 * What a pre-token-generation trigger (event version 2) asks to add or override in each token.
 * Cognito refuses to touch its own claims (sub, iss, aud, token_use, …); so does this issuer.
 */
export interface ClaimOverrides {
  accessToken?: Record<string, unknown>;
  idToken?: Record<string, unknown>;
}

export interface IssuedTokens {
  accessToken: string;
  idToken: string;
  /** Seconds until both expire. */
  expiresIn: number;
  /** The sign-in these tokens belong to (a refresh keeps it). */
  session: { originJti: string; startedAtMs: number };
}

/**
 * When a session (one sign-in and the tokens refreshed from it) began, in milliseconds: local
 * tokens carry it so the local Cognito endpoint can refuse a session ended by a global sign-out
 * as Cognito does (it tracks sessions by origin_jti), even within the sign-out's second.
 */
export const SESSION_START_CLAIM = 'roster_session_ms';
/** Cognito's refresh tokens live 30 days by default. */
const REFRESH_LIFETIME_SECONDS = 30 * 24 * 3600;

const PROTECTED_CLAIMS = new Set([
  'sub',
  'iss',
  'aud',
  'client_id',
  'token_use',
  'exp',
  'iat',
  'auth_time',
  'jti',
  'origin_jti',
  'event_id',
  'scope',
  'username',
  'cognito:username',
  SESSION_START_CLAIM,
  'roster_iat_ms',
]);

function allowed(overrides: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(overrides ?? {}).filter(([name]) => !PROTECTED_CLAIMS.has(name)));
}

export interface TokenIssuerOptions {
  /** The `iss` claim, e.g. `http://localhost:3000/local`. */
  issuer: string;
  /** The app client id: `client_id` of access tokens, `aud` of id tokens. */
  clientId?: string;
  /** PEM file keeping the signing key across restarts; a fresh in-memory key when omitted. */
  keyFile?: string;
  /** Token lifetime (Cognito's default access-token validity is one hour). */
  lifetimeSeconds?: number;
}

export const LOCAL_CLIENT_ID = 'roster-local-client';
/** Cognito's scope on tokens from a user-password sign-in. */
export const COGNITO_SCOPE = 'aws.cognito.signin.user.admin';

const base64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');

async function loadOrCreateKey(keyFile: string | undefined): Promise<KeyObject> {
  if (keyFile) {
    try {
      return createPrivateKey(await readFile(keyFile, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  if (!keyFile) return privateKey;
  await mkdir(dirname(keyFile), { recursive: true });
  try {
    // 'wx': when two starts race, the first key written wins and both use it.
    await writeFile(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    return privateKey;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return createPrivateKey(await readFile(keyFile, 'utf8'));
  }
}

/**
 * Signs RS256 tokens shaped like Cognito user-pool tokens, and publishes the matching JWKS,
 * so the local server can check them exactly as API Gateway's JWT authorizer checks Cognito's.
 */
export class TokenIssuer {
  readonly jwks: Jwks;
  readonly kid: string;
  private readonly publicKey: KeyObject;

  private constructor(
    private readonly privateKey: KeyObject,
    readonly issuer: string,
    readonly clientId: string,
    readonly lifetimeSeconds: number,
  ) {
    this.publicKey = createPublicKey(privateKey);
    const { n, e } = privateKey.export({ format: 'jwk' });
    if (!n || !e) throw new Error('The signing key is not an RSA key');
    // RFC 7638 thumbprint: stable for a key, so a persisted key keeps its kid.
    this.kid = createHash('sha256')
      .update(JSON.stringify({ e, kty: 'RSA', n }))
      .digest('base64url')
      .slice(0, 32);
    this.jwks = { keys: [{ kty: 'RSA', kid: this.kid, alg: 'RS256', use: 'sig', n, e }] };
  }

  static async create(options: TokenIssuerOptions): Promise<TokenIssuer> {
    const key = await loadOrCreateKey(options.keyFile);
    return new TokenIssuer(key, options.issuer, options.clientId ?? LOCAL_CLIENT_ID, options.lifetimeSeconds ?? 3600);
  }

  /**
   * An access token and an id token, as Cognito's InitiateAuth returns them: for a new sign-in,
   * or (with `session`) refreshed within an earlier sign-in's session.
   */
  issue(
    subject: TokenSubject,
    now: Date = new Date(),
    session?: { originJti: string; startedAtMs: number },
    overrides?: ClaimOverrides,
  ): IssuedTokens {
    const iat = Math.floor(now.getTime() / 1000);
    const exp = iat + this.lifetimeSeconds;
    const originJti = session?.originJti ?? randomUUID();
    const sessionMs = session?.startedAtMs ?? now.getTime();
    const authTime = Math.floor(sessionMs / 1000);
    const eventId = randomUUID();
    const groups = subject.groups.length > 0 ? { 'cognito:groups': [...subject.groups] } : {};
    const accessToken = this.sign({
      ...allowed(overrides?.accessToken),
      sub: subject.userId,
      ...groups,
      iss: this.issuer,
      version: 2,
      client_id: this.clientId,
      origin_jti: originJti,
      event_id: eventId,
      token_use: 'access',
      scope: COGNITO_SCOPE,
      auth_time: authTime,
      exp,
      iat,
      jti: randomUUID(),
      username: subject.userId,
      // Not in Cognito's access tokens; a local convenience for reading tokens by eye.
      email: subject.email,
      [SESSION_START_CLAIM]: sessionMs,
      // Milliseconds of issue, so revocation is exact locally (shared/http/authorize.ts ISSUED_AT_MS_CLAIM).
      roster_iat_ms: now.getTime(),
    });
    const idToken = this.sign({
      ...allowed(overrides?.idToken),
      sub: subject.userId,
      ...groups,
      email_verified: true,
      iss: this.issuer,
      'cognito:username': subject.userId,
      origin_jti: originJti,
      aud: this.clientId,
      event_id: eventId,
      token_use: 'id',
      auth_time: authTime,
      exp,
      iat,
      jti: randomUUID(),
      email: subject.email,
    });
    return { accessToken, idToken, expiresIn: this.lifetimeSeconds, session: { originJti, startedAtMs: sessionMs } };
  }

  /**
   * A refresh token for a session. Cognito's are opaque (encrypted); this one is signed and has
   * neither `aud` nor `client_id`, so no JWT authorizer takes it for an API credential.
   */
  issueRefreshToken(
    userId: string,
    session: { originJti: string; startedAtMs: number },
    now: Date = new Date(),
  ): string {
    const iat = Math.floor(now.getTime() / 1000);
    return this.sign({
      sub: userId,
      iss: this.issuer,
      token_use: 'refresh',
      origin_jti: session.originJti,
      [SESSION_START_CLAIM]: session.startedAtMs,
      iat,
      exp: iat + REFRESH_LIFETIME_SECONDS,
      jti: randomUUID(),
    });
  }

  /**
   * A short-lived signed state (an MFA challenge's `Session`), with neither `aud` nor
   * `client_id`, so no JWT authorizer takes it for an API credential.
   */
  issueState(claims: Record<string, unknown>, lifetimeSeconds: number, now: Date = new Date()): string {
    const iat = Math.floor(now.getTime() / 1000);
    return this.sign({ ...claims, iss: this.issuer, iat, exp: iat + lifetimeSeconds, jti: randomUUID() });
  }

  /** The claims of a token this issuer signed, when its signature holds and it has not expired; else undefined. */
  verifyOwn(token: string, now: Date = new Date()): Record<string, unknown> | undefined {
    const [head, body, signature] = token.split('.');
    if (!head || !body || !signature) return undefined;
    try {
      if (!verify('sha256', Buffer.from(`${head}.${body}`), this.publicKey, Buffer.from(signature, 'base64url')))
        return undefined;
      const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
      if (claims.iss !== this.issuer || typeof claims.exp !== 'number' || claims.exp * 1000 <= now.getTime())
        return undefined;
      return claims;
    } catch {
      return undefined;
    }
  }

  /** Signs any claims with this issuer's key (tests forge expired or odd tokens with it). */
  sign(claims: Record<string, unknown>, header: Record<string, unknown> = {}): string {
    const head = base64url(JSON.stringify({ kid: this.kid, alg: 'RS256', ...header }));
    const body = base64url(JSON.stringify(claims));
    const signature = sign('sha256', Buffer.from(`${head}.${body}`), this.privateKey);
    return `${head}.${body}.${base64url(signature)}`;
  }
}
