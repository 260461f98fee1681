import { CognitoJwtVerifier, JwtVerifier } from 'aws-jwt-verify';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { config } from '../config.js';
import { ROSTER_USER_ID_CLAIM, rosterUserIdOf } from './identity-port.js';

/**
 * Verifies a bearer token where no API Gateway authorizer did (public routes that also take a
 * signed-in caller: accepting an invitation). Cognito's access tokens in AWS; the local token
 * issuer's in npm start and tests, checked against its JWKS like local/jwt-authorizer.ts does.
 */
export interface VerifiedToken {
  /** The identity's subject: Roster's userId. */
  sub: string;
  /** `iat` in milliseconds (0 when absent), for the session-revocation rule. */
  issuedAtMs: number;
}

export interface TokenVerifier {
  /** The token's subject when its signature, issuer, client, use and lifetime check out; else undefined. */
  verify(token: string): Promise<VerifiedToken | undefined>;
}

/** Set by the local server (local/server.ts) once listening: the only issuer local mode accepts. */
export const LOCAL_TOKEN_ISSUER_ENV = 'ROSTER_LOCAL_TOKEN_ISSUER';
/** The local app client (local/token-issuer.ts LOCAL_CLIENT_ID); tokens of other clients are refused. */
const LOCAL_CLIENT_ID = 'roster-local-client';

/** The Roster user the token is for (rosterUserIdOf: its user id claim, else its sub). */
const subjectOf = (payload: JwtPayload): VerifiedToken | undefined => {
  const sub = rosterUserIdOf(payload, ROSTER_USER_ID_CLAIM);
  return sub ? { sub, issuedAtMs: typeof payload.iat === 'number' ? payload.iat * 1000 : 0 } : undefined;
};

/** Cognito access tokens of the configured pool and app client. */
export function cognitoTokenVerifier(userPoolId: string, clientId: string | null): TokenVerifier {
  const verifier = CognitoJwtVerifier.create({ userPoolId, tokenUse: 'access', clientId });
  return {
    async verify(token) {
      try {
        return subjectOf(await verifier.verify(token));
      } catch {
        return undefined;
      }
    },
  };
}

/**
 * Access tokens of the local issuer. aws-jwt-verify fetches JWKS over HTTPS only, so the
 * issuer's JWKS (served over plain HTTP by the local server) is fetched here and cached; an
 * unknown key id (the server restarted with a new key) refetches it once. The local server
 * listens on 127.0.0.1, which `localhost` may not resolve to first.
 */
export function localTokenVerifier(issuer: string): TokenVerifier {
  const verifier = JwtVerifier.create({
    issuer,
    audience: null,
    // Access tokens carry the client in client_id, not aud (as API Gateway's authorizer checks).
    customJwtCheck: ({ payload }) => {
      if (payload.token_use !== 'access') throw new Error('not an access token');
      if (payload.client_id !== LOCAL_CLIENT_ID) throw new Error('client not allowed');
    },
  });
  let loaded: Promise<void> | undefined;
  const load = () =>
    (loaded ??= fetch(`${issuer.replace('//localhost:', '//127.0.0.1:')}/.well-known/jwks.json`)
      .then(async (res) => verifier.cacheJwks((await res.json()) as Parameters<typeof verifier.cacheJwks>[0]))
      .catch((error: unknown) => {
        loaded = undefined;
        throw error;
      }));
  return {
    async verify(token) {
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          await load();
          return subjectOf(await verifier.verify(token));
        } catch (error) {
          if ((error as Error).name !== 'KidNotFoundInJwksError' || attempt > 0) return undefined;
          loaded = undefined;
        }
      }
      return undefined;
    },
  };
}

let shared: { key: string; verifier: TokenVerifier } | undefined;

/** The configured verifier, built once per process (per local issuer: tests start one server per file). */
export function tokenVerifier(): TokenVerifier {
  const { identityMode, userPoolId, userPoolClientId } = config();
  const key =
    identityMode === 'local' ? (process.env[LOCAL_TOKEN_ISSUER_ENV] ?? '') : `${userPoolId}/${userPoolClientId ?? ''}`;
  if (shared?.key === key) return shared.verifier;
  const verifier: TokenVerifier =
    identityMode === 'local'
      ? key
        ? localTokenVerifier(key)
        : { verify: () => Promise.resolve(undefined) }
      : cognitoTokenVerifier(userPoolId, userPoolClientId ?? null);
  shared = { key, verifier };
  return verifier;
}
