import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDP, demoIdpConnection, startDemoIdp, type DemoIdp } from '../../local/demo-idp.js';
import { CONSOLE_CALLBACK_PATH, OAUTH_IDP_RESPONSE_PATH } from '../../local/oauth-paths.js';
import { createSsoConnection } from '../../shared/sso/manage-connections.js';
import { startLocalApi, TEST_PASSWORD, type LocalApi } from '../helpers/local-api.js';

/**
 * The local Cognito stand-in's managed-login endpoints federating to the demo IdP (a real
 * OpenID provider), driven over HTTP as a browser would: redirects followed, the IdP's
 * cookies kept, its login form posted.
 */

let local: LocalApi;
let idp: DemoIdp;
let origin: string;

let orgId: string;
let adminToken: string;

beforeAll(async () => {
  local = await startLocalApi();
  origin = `http://127.0.0.1:${local.server.port}`;
  idp = await startDemoIdp({ port: 0, password: TEST_PASSWORD, redirectUris: [`${origin}${OAUTH_IDP_RESPONSE_PATH}`] });
  const seeded = await local.seedOperatorAndOrg();
  orgId = seeded.orgId;
  adminToken = seeded.admin.accessToken;
  const verified = await local.api('PATCH', `/v1/orgs/${orgId}`, {
    token: seeded.operator.accessToken,
    body: { verifiedDomains: [DEMO_IDP.domain] },
  });
  expect(verified.status).toBe(200);
  // The connection puts the pool's identity provider (with its secret), as in AWS.
  await createSsoConnection({ db: local.db, identity: local.server.identity }, orgId, demoIdpConnection(idp.issuer), {
    actor: { type: 'system', id: 'test' },
    ip: null,
    userAgent: null,
    requestId: null,
    now: new Date(),
  });
});
afterAll(async () => {
  await idp?.close();
  await local?.close();
});

const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

function authorizeUrl(params: Record<string, string>): string {
  const url = new URL(`${origin}/local/cognito/oauth2/authorize`);
  const defaults = {
    response_type: 'code',
    client_id: local.issuer.clientId,
    redirect_uri: `${origin}${CONSOLE_CALLBACK_PATH}`,
    scope: 'openid email aws.cognito.signin.user.admin',
    code_challenge_method: 'S256',
  };
  for (const [name, value] of Object.entries({ ...defaults, ...params })) url.searchParams.set(name, value);
  return url.href;
}

/** A browser's walk: follows redirects with a cookie jar per origin, until `stop` says a URL is the destination. */
async function walk(start: string, stop: (url: URL) => boolean, form?: { email: string; password: string }) {
  const jar = new Map<string, Map<string, string>>();
  let url = new URL(start);
  let method = 'GET';
  let body: string | undefined;
  for (let hop = 0; hop < 20; hop += 1) {
    if (stop(url)) return url;
    const cookies = jar.get(url.origin) ?? new Map<string, string>();
    const response = await fetch(url, {
      method,
      redirect: 'manual',
      headers: {
        cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(body ? { body } : {}),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, ...value] = (pair ?? '').split('=');
      if (name) cookies.set(name.trim(), value.join('='));
    }
    jar.set(url.origin, cookies);
    const location = response.headers.get('location');
    if (location) {
      url = new URL(location, url);
      method = 'GET';
      body = undefined;
      continue;
    }
    const html = await response.text();
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    if (!action || !form) throw new Error(`stuck at ${url.href} (${response.status}): ${html.slice(0, 300)}`);
    url = new URL(action.replace(/&amp;/g, '&'), url);
    method = 'POST';
    body = new URLSearchParams({ email: form.email, password: form.password }).toString();
  }
  throw new Error('too many redirects');
}

const isCallback = (url: URL) => url.pathname === CONSOLE_CALLBACK_PATH;
const person = { email: DEMO_IDP.person.email, password: TEST_PASSWORD };

async function exchange(fields: Record<string, string>) {
  const response = await fetch(`${origin}/local/cognito/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: local.issuer.clientId, ...fields }).toString(),
  });
  return { status: response.status, json: (await response.json()) as Record<string, string> };
}

describe('local Cognito stand-in: federated sign-in through the demo IdP', () => {
  it('signs the demo person in by idp_identifier and exchanges the single-use code with PKCE for tokens', async () => {
    const { verifier, challenge } = pkce();
    const back = await walk(
      authorizeUrl({ idp_identifier: DEMO_IDP.domain, state: 'st-1', code_challenge: challenge }),
      isCallback,
      person,
    );
    expect(back.searchParams.get('error_description')).toBeNull();
    expect(back.searchParams.get('state')).toBe('st-1');
    const code = back.searchParams.get('code') ?? '';
    expect(code).not.toBe('');
    const redirectUri = `${origin}${CONSOLE_CALLBACK_PATH}`;

    const wrongVerifier = await exchange({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: pkce().verifier,
    });
    expect(wrongVerifier).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });

    // A failed exchange spent the code too (single use), so a fresh sign-in gives the next one.
    const again = await walk(
      authorizeUrl({ idp_identifier: DEMO_IDP.domain, state: 'st-2', code_challenge: challenge }),
      isCallback,
      person,
    );
    const code2 = again.searchParams.get('code') ?? '';
    const tokens = await exchange({
      grant_type: 'authorization_code',
      code: code2,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    });
    expect(tokens.status).toBe(200);
    const claims = local.issuer.verifyOwn(tokens.json.access_token ?? '');
    expect(claims).toMatchObject({
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      client_id: local.issuer.clientId,
    });
    // The Roster user the triggers made (JIT): the tokens work on the API, as a member of the org.
    const me = await local.api('GET', '/v1/me', { token: tokens.json.access_token ?? '' });
    expect(me.status).toBe(200);
    expect(me.text).toContain(orgId);
    const members = await local.api('GET', `/v1/orgs/${orgId}/members?sort=email`, { token: adminToken });
    const memberships = members.json.items.filter((m: { email: string }) => m.email === DEMO_IDP.person.email);
    // One membership, whatever the number of sign-ins.
    expect(memberships).toEqual([expect.objectContaining({ role: 'member', source: 'sso', status: 'active' })]);
    expect(local.issuer.verifyOwn(tokens.json.id_token ?? '')).toMatchObject({
      email: DEMO_IDP.person.email,
      aud: local.issuer.clientId,
    });

    const replay = await exchange({
      grant_type: 'authorization_code',
      code: code2,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    });
    expect(replay).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });

    const refreshed = await exchange({ grant_type: 'refresh_token', refresh_token: tokens.json.refresh_token ?? '' });
    expect(refreshed.status).toBe(200);
    expect(local.issuer.verifyOwn(refreshed.json.access_token ?? '')?.sub).toBe(claims?.sub);
    expect((await local.api('GET', '/v1/me', { token: refreshed.json.access_token ?? '' })).status).toBe(200);
  });

  it('refuses a redirect_uri other than the console callback with a page, never a redirect to it', async () => {
    const response = await fetch(
      authorizeUrl({
        idp_identifier: DEMO_IDP.domain,
        redirect_uri: 'https://evil.test/cb',
        code_challenge: pkce().challenge,
      }),
      { redirect: 'manual' },
    );
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });

  it('sends request errors back to the console as error and error_description, with the state', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ idp_identifier: 'unknown.test', code_challenge: pkce().challenge }, 'invalid_request'],
      [{ idp_identifier: DEMO_IDP.domain }, 'invalid_request'],
      [{ idp_identifier: DEMO_IDP.domain, code_challenge: pkce().challenge, scope: 'openid' }, 'invalid_scope'],
    ];
    for (const [params, error] of cases) {
      const response = await fetch(authorizeUrl({ ...params, state: 's' }), { redirect: 'manual' });
      expect(response.status).toBe(302);
      const location = new URL(response.headers.get('location') ?? '');
      expect(location.pathname).toBe(CONSOLE_CALLBACK_PATH);
      expect(location.searchParams.get('error')).toBe(error);
      expect(location.searchParams.get('error_description')).not.toBe('');
      expect(location.searchParams.get('state')).toBe('s');
    }
  });

  it('refuses an IdP answer whose state it never issued', async () => {
    const response = await fetch(`${origin}${OAUTH_IDP_RESPONSE_PATH}?code=x&state=forged`, { redirect: 'manual' });
    expect(response.status).toBe(400);
  });

  it('a wrong password stays at the IdP and issues nothing', async () => {
    const { challenge } = pkce();
    await expect(
      walk(authorizeUrl({ idp_identifier: DEMO_IDP.domain, code_challenge: challenge }), isCallback, {
        email: person.email,
        password: 'wrong-password',
      }),
    ).rejects.toThrow(/too many redirects|stuck/);
  });
});
