import { describe, expect, it } from 'vitest';
import { authorize, claimsOf } from '../../../shared/http/authorize.js';
import type { Database } from '../../../shared/data/dynamo-client.js';
import { UnauthorizedError } from '../../../shared/errors.js';
import type { ApiEvent } from '../../../shared/http/types.js';

const eventWith = (claims: Record<string, unknown> | undefined) =>
  ({ requestContext: { authorizer: claims ? { jwt: { claims, scopes: [] } } : undefined } }) as unknown as ApiEvent;

describe('claimsOf reads claims the way API Gateway passes them', () => {
  it('parses groups flattened to the string "[a b]"', () => {
    expect(claimsOf(eventWith({ sub: 'u1', iat: '1700000000', 'cognito:groups': '[platform_admin other]' }))).toEqual({
      sub: 'u1',
      issuedAtMs: 1_700_000_000_000,
      precisionMs: 1000,
      groups: ['platform_admin', 'other'],
      tokenUse: undefined,
    });
  });

  it('reads a millisecond issue time where the token carries one, and the token use', () => {
    expect(
      claimsOf(eventWith({ sub: 'u1', iat: '1700000000', roster_iat_ms: '1700000000123', token_use: 'access' })),
    ).toMatchObject({ issuedAtMs: 1_700_000_000_123, precisionMs: 1, tokenUse: 'access' });
  });

  it('accepts groups as an array and iat as a number', () => {
    expect(claimsOf(eventWith({ sub: 'u1', iat: 5, 'cognito:groups': ['a'] }))?.groups).toEqual(['a']);
  });

  it('has no groups when the claim is absent', () => {
    expect(claimsOf(eventWith({ sub: 'u1', iat: 1 }))?.groups).toEqual([]);
  });

  it('refuses a request without a subject', () => {
    expect(claimsOf(eventWith(undefined))).toBeUndefined();
    expect(claimsOf(eventWith({ sub: '' }))).toBeUndefined();
  });
});

describe('authorize refuses every token but an access token, whatever passed the gateway', () => {
  // The function checks token_use itself too: a route deployed without its scope must not let an ID token in.
  const noDatabase = {} as Database;
  it.each([['id'], [undefined]])('token_use %s: 401 access_token_required before any read', async (tokenUse) => {
    const refusal = await authorize(
      noDatabase,
      eventWith({ sub: 'u1', iat: '1700000000', ...(tokenUse ? { token_use: tokenUse } : {}) }),
      { kind: 'signedIn' },
    ).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(UnauthorizedError);
    expect((refusal as UnauthorizedError).code).toBe('access_token_required');
  });
});
