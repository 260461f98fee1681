import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RouteDefinition } from '../../infra/routes.js';
import { startLocalServer, type LocalServer } from '../../local/server.js';
import { TokenIssuer } from '../../local/token-issuer.js';
import type { ApiEvent } from '../../shared/http/types.js';
import { startLocalApi, TEST_PASSWORD, uniqueSuffix, type LocalApi } from '../helpers/local-api.js';

const FIXTURES = fileURLToPath(new URL('../helpers/fixtures/functions', import.meta.url));

/** Routes served by the fixture handlers, to see exactly what a handler receives. */
const ECHO_ROUTES: RouteDefinition[] = [
  { method: 'GET', path: '/echo/{id}/items/{itemId}', handler: 'echo-event', auth: 'jwt', table: 'none' },
  { method: 'GET', path: '/echo/{id}/items/special', handler: 'echo-event', auth: 'jwt', table: 'none' },
  { method: 'POST', path: '/echo/public', handler: 'echo-event', auth: 'public', table: 'none' },
  { method: 'GET', path: '/plain', handler: 'plain-object', auth: 'public', table: 'none' },
  { method: 'GET', path: '/binary', handler: 'binary-body', auth: 'public', table: 'none' },
  { method: 'GET', path: '/fails', handler: 'throw-error', auth: 'public', table: 'none' },
  { method: 'GET', path: '/missing', handler: 'no-such-module', auth: 'public', table: 'none' },
];

const UNAUTHORIZED = { message: 'Unauthorized' };
const decodePayload = (jwt: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

let local: LocalApi;
let echo: LocalServer;
const logError = vi.fn();

async function call(path: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(`http://127.0.0.1:${echo.port}${path}`, init);
  return { status: response.status, headers: response.headers, text: await response.text() };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const echoToken = (groups: string[] = []) =>
  echo.issuer.issue({ userId: 'user-1', email: 'user-1@example.test', groups }).accessToken;

beforeAll(async () => {
  local = await startLocalApi();
  echo = await startLocalServer({ routes: ECHO_ROUTES, functionsDir: FIXTURES, db: local.db, logError });
});

afterAll(async () => {
  await echo?.close();
  await local?.close();
});

describe('the local server builds API Gateway payload 2.0 events', () => {
  it('passes method, paths, query, headers, cookies and decoded path parameters as API Gateway does', async () => {
    const token = echoToken(['platform_admin', 'other']);
    const res = await call('/echo/hello%20world/items/42?a=1&a=2&b=x%20y', {
      headers: { ...bearer(token), 'X-Custom-Header': 'Value', cookie: 'c1=v1; c2=v2', 'user-agent': 'roster-test' },
    });
    expect(res.status).toBe(200);
    const event = JSON.parse(res.text) as ApiEvent;
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'GET /echo/{id}/items/{itemId}',
      rawPath: '/echo/hello%20world/items/42',
      rawQueryString: 'a=1&a=2&b=x%20y',
      queryStringParameters: { a: '1,2', b: 'x y' },
      pathParameters: { id: 'hello world', itemId: '42' },
      cookies: ['c1=v1', 'c2=v2'],
      isBase64Encoded: false,
    });
    expect(event.body).toBeUndefined();
    expect(event.headers['x-custom-header']).toBe('Value');
    expect(event.headers.cookie).toBeUndefined();
    expect(event.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(event.headers['x-amzn-trace-id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);

    const context = event.requestContext;
    expect(context).toMatchObject({
      accountId: expect.any(String) as unknown,
      apiId: expect.any(String) as unknown,
      domainName: '127.0.0.1',
      routeKey: 'GET /echo/{id}/items/{itemId}',
      stage: '$default',
      http: {
        method: 'GET',
        path: '/echo/hello%20world/items/42',
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'roster-test',
      },
    });
    expect(context.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('apigw-requestid')).toBe(context.requestId);
    expect(context.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(Math.abs(context.timeEpoch - Date.now())).toBeLessThan(10_000);
  });

  it('flattens JWT claims to strings the way the JWT authorizer does', async () => {
    const res = await call('/echo/a/items/b', { headers: bearer(echoToken(['platform_admin', 'other'])) });
    const { claims, scopes } = (JSON.parse(res.text) as ApiEvent).requestContext.authorizer.jwt;
    expect(claims).toMatchObject({
      sub: 'user-1',
      token_use: 'access',
      client_id: echo.issuer.clientId,
      'cognito:groups': '[platform_admin other]',
      email: 'user-1@example.test',
    });
    expect(claims.iat).toMatch(/^\d+$/);
    expect(claims.exp).toMatch(/^\d+$/);
    expect(scopes).toEqual(['aws.cognito.signin.user.admin']);
  });

  it('prefers a literal path segment over a path variable', async () => {
    const res = await call('/echo/a/items/special', { headers: bearer(echoToken()) });
    expect((JSON.parse(res.text) as ApiEvent).routeKey).toBe('GET /echo/{id}/items/special');
  });

  it('passes text bodies as UTF-8 and binary bodies base64-encoded; public routes carry no authorizer', async () => {
    const text = await call('/echo/public', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":"Zoë"}',
    });
    const textEvent = JSON.parse(text.text) as ApiEvent;
    expect(textEvent).toMatchObject({ body: '{"name":"Zoë"}', isBase64Encoded: false });
    expect(textEvent.requestContext.authorizer).toBeUndefined();

    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    const binary = await call('/echo/public', {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    expect(JSON.parse(binary.text)).toMatchObject({ body: bytes.toString('base64'), isBase64Encoded: true });
  });

  it('maps results back: headers, cookies, bare objects, base64 bodies', async () => {
    const echoed = await call('/echo/public', {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(echoed.headers.get('x-echo')).toBe('yes');
    expect(echoed.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);

    const plain = await call('/plain');
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(plain.text)).toEqual({ hello: 'world' });

    const binary = await fetch(`http://127.0.0.1:${echo.port}/binary`);
    expect(Buffer.from(await binary.arrayBuffer())).toEqual(Buffer.from([0, 1, 2, 255]));
  });

  it('answers a failing or missing handler with API Gateway’s bare 500', async () => {
    for (const path of ['/fails', '/missing']) {
      const res = await call(path);
      expect(res.status).toBe(500);
      expect(JSON.parse(res.text)).toEqual({ message: 'Internal Server Error' });
    }
    expect(logError).toHaveBeenCalled();
  });

  it('refuses bodies over API Gateway’s 10 MB cap with 413', async () => {
    const res = await call('/echo/public', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(10 * 1024 * 1024 + 1),
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text)).toEqual({ message: 'Request Entity Too Large' });
  });
});

describe('JWT routes refuse bad tokens like API Gateway’s JWT authorizer', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const validClaims = () => ({
    sub: 'user-1',
    iss: echo.issuer.issuer,
    client_id: echo.issuer.clientId,
    token_use: 'access',
    iat: now(),
    exp: now() + 3600,
  });

  it.each([
    ['no Authorization header', () => ({})],
    ['an empty bearer', () => ({ authorization: 'Bearer ' })],
    ['a garbled token', () => bearer('not-a-jwt')],
    ['a token with a garbled payload', () => bearer(`${echoToken().split('.')[0]}.e30x.sig`)],
  ])('401 for %s', async (_name, headers) => {
    const res = await call('/echo/a/items/b', { headers: headers() });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.text)).toEqual(UNAUTHORIZED);
  });

  it('401 for an expired token', async () => {
    const token = echo.issuer.sign({ ...validClaims(), iat: now() - 7200, exp: now() - 3600 });
    const res = await call('/echo/a/items/b', { headers: bearer(token) });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.text)).toEqual(UNAUTHORIZED);
  });

  it('401 for a token signed by another key under the same key id', async () => {
    const forger = await TokenIssuer.create({ issuer: echo.issuer.issuer });
    const token = forger.sign(validClaims(), { kid: echo.issuer.kid });
    const res = await call('/echo/a/items/b', { headers: bearer(token) });
    expect(res.status).toBe(401);
  });

  it('401 for a token from another issuer, or for another app client', async () => {
    const otherIssuer = echo.issuer.sign({
      ...validClaims(),
      iss: 'https://cognito-idp.us-east-1.amazonaws.com/other',
    });
    const otherClient = echo.issuer.sign({ ...validClaims(), client_id: 'someone-else' });
    for (const token of [otherIssuer, otherClient]) {
      const res = await call('/echo/a/items/b', { headers: bearer(token) });
      expect(res.status).toBe(401);
    }
  });

  it('refuses the id token with 403 as the route scopes do in AWS (its aud is the client id, but it has no scope), and accepts the access token without the Bearer prefix', async () => {
    const { idToken, accessToken } = echo.issuer.issue({ userId: 'user-1', email: 'u@example.test', groups: [] });
    const refused = await call('/echo/a/items/b', { headers: bearer(idToken) });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.text)).toEqual({ message: 'Forbidden' });
    expect((await call('/echo/a/items/b', { headers: { authorization: accessToken } })).status).toBe(200);
  });

  it('a token of another local server (another key) is refused', async () => {
    const res = await call('/echo/a/items/b', {
      headers: bearer(local.issuer.issue({ userId: 'u', email: 'u@x.test', groups: [] }).accessToken),
    });
    expect(res.status).toBe(401);
  });
});

describe('local sign-in answers like Cognito InitiateAuth', () => {
  it('issues Cognito-shaped access and id tokens that the API accepts', async () => {
    const email = `signin-${uniqueSuffix()}@example.test`;
    const { userId } = await local.createUserWithPassword(email, TEST_PASSWORD, { groups: ['platform_admin'] });
    const res = await local.api('POST', '/local/sign-in', {
      body: { email: email.toUpperCase(), password: TEST_PASSWORD },
    });
    expect(res.status).toBe(200);
    expect(res.json.AuthenticationResult).toMatchObject({
      TokenType: 'Bearer',
      ExpiresIn: 3600,
      AccessToken: expect.any(String) as unknown,
      IdToken: expect.any(String) as unknown,
    });

    const access = decodePayload(res.json.AuthenticationResult.AccessToken as string);
    expect(access).toMatchObject({
      sub: userId,
      token_use: 'access',
      client_id: local.issuer.clientId,
      iss: local.issuer.issuer,
      username: userId,
      'cognito:groups': ['platform_admin'],
      email,
    });
    expect(access.aud).toBeUndefined();
    const id = decodePayload(res.json.AuthenticationResult.IdToken as string);
    expect(id).toMatchObject({ sub: userId, token_use: 'id', aud: local.issuer.clientId, email });

    const jwks = await local.api('GET', '/.well-known/jwks.json');
    expect(jwks.json.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: local.issuer.kid });
  });

  it('leaves cognito:groups out for a user in no group', async () => {
    const email = `nogroup-${uniqueSuffix()}@example.test`;
    await local.createUserWithPassword(email, TEST_PASSWORD);
    const { accessToken } = await local.signIn(email, TEST_PASSWORD);
    expect(decodePayload(accessToken)).not.toHaveProperty('cognito:groups');
  });

  it('answers 400 problem+json naming the field for bad input', async () => {
    const cases: [unknown, string][] = [
      ['{not json', 'body'],
      [[], 'body'],
      [{ password: TEST_PASSWORD }, 'email'],
      [{ email: 'a@example.test', password: '' }, 'password'],
      [{ email: 42, password: TEST_PASSWORD }, 'email'],
    ];
    for (const [body, field] of cases) {
      const res = await local.api('POST', '/local/sign-in', { body, headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.json).toMatchObject({
        status: 400,
        code: 'validation_failed',
        errors: [expect.objectContaining({ field })],
      });
    }
  });

  it('answers 401 alike for a wrong password and an unknown email', async () => {
    const email = `wrongpw-${uniqueSuffix()}@example.test`;
    await local.createUserWithPassword(email, TEST_PASSWORD);
    for (const body of [
      { email, password: 'Wrong-password-1!' },
      { email: `nobody-${uniqueSuffix()}@example.test`, password: TEST_PASSWORD },
    ]) {
      const res = await local.api('POST', '/local/sign-in', { body });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.json).toMatchObject({
        status: 401,
        code: 'invalid_credentials',
        detail: 'Incorrect username or password.',
      });
    }
  });
});

describe('unknown routes', () => {
  it('404 {"message":"Not Found"} for an unknown path, and for a known path with another method', async () => {
    for (const [method, path] of [
      ['GET', '/v1/nothing-here'],
      ['DELETE', '/v1/me'],
      ['GET', '/v1/me/'],
    ] as const) {
      const res = await local.api(method, path);
      expect(res.status).toBe(404);
      expect(res.json).toEqual({ message: 'Not Found' });
    }
  });
});
