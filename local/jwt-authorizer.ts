import { JwtVerifier } from 'aws-jwt-verify';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import type { Jwks } from './token-issuer.js';

export interface JwtAuthorizerOptions {
  /** The only `iss` accepted. */
  issuer: string;
  /** Accepted audiences: the token's `aud`, or `client_id` when it has no `aud` (access tokens). */
  audience: readonly string[];
  /** Where the keys would be fetched from if a token names an unknown `kid`. */
  jwksUri: string;
  /** The issuer's keys, loaded up front so no request waits for a fetch. */
  jwks: Jwks;
}

export type JwtDecision = { ok: true; claims: JwtPayload; scopes: string[] | null } | { ok: false; reason: string };

/**
 * Checks a bearer token the way API Gateway's HTTP API JWT authorizer does: RS256 signature
 * against the issuer's JWKS, `iss`, `aud` or else `client_id`, `exp`, `nbf` and `iat`. The
 * token may come with or without the `Bearer ` prefix.
 */
export function createJwtAuthorizer(
  options: JwtAuthorizerOptions,
): (authorization: string | undefined) => Promise<JwtDecision> {
  const verifier = JwtVerifier.create({
    issuer: options.issuer,
    jwksUri: options.jwksUri,
    // Checked below: API Gateway falls back to client_id, which aws-jwt-verify does not.
    audience: null,
    customJwtCheck: ({ payload }) => {
      const audiences = payload.aud === undefined ? [payload.client_id] : [payload.aud].flat();
      if (!audiences.some((aud) => typeof aud === 'string' && options.audience.includes(aud)))
        throw new Error('audience not allowed');
      if (typeof payload.exp !== 'number') throw new Error('token has no exp');
      if (typeof payload.iat === 'number' && payload.iat * 1000 > Date.now() + 5000)
        throw new Error('token issued in the future');
    },
  });
  verifier.cacheJwks(options.jwks);
  return async (authorization) => {
    const token = authorization?.replace(/^bearer\s+/i, '').trim();
    if (!token) return { ok: false, reason: 'no token' };
    try {
      const claims = await verifier.verify(token);
      return {
        ok: true,
        claims,
        scopes: typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : null,
      };
    } catch (error) {
      return { ok: false, reason: (error as Error).message };
    }
  };
}

/**
 * Claims as API Gateway hands them to the function: every value a string, numbers and booleans
 * printed, arrays as "[a b]", objects as JSON.
 */
export function flattenClaims(claims: JwtPayload): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(claims)) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value))
      flat[name] = `[${value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(' ')}]`;
    else if (typeof value === 'object') flat[name] = JSON.stringify(value);
    else flat[name] = String(value);
  }
  return flat;
}
