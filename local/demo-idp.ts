import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type JWK } from 'oidc-provider';
import type { createSsoConnection } from '../shared/sso/manage-connections.js';
import { PortInUseError } from './ports.js';

/**
 * The demo identity provider of `npm start` (DESIGN.md §2c): a certified OpenID provider
 * (`oidc-provider`) with one person and one registered client, Roster's local Cognito stand-in,
 * which federates to it exactly as a user pool federates to a customer's OIDC IdP.
 */
export const DEMO_IDP = {
  person: { email: 'sso.person@sso.acme.test', name: 'Sasha Sso', groups: ['engineering'] },
  domain: 'sso.acme.test',
  /** The client the stand-in is registered as (the connection's client id and secret). */
  clientId: 'roster-local-cognito',
  // A fixed, local-only secret: the seed's connection must know it across restarts.
  clientSecret: 'roster-demo-idp-client-secret',
  scopes: ['openid', 'email', 'profile'],
  defaultPort: 8010,
} as const;

/** The OIDC connection through which an org signs people of the demo domain in (the seed's and the tests'). */
export function demoIdpConnection(issuer: string, jitProvisioning = true): Parameters<typeof createSsoConnection>[2] {
  return {
    name: 'Demo IdP',
    protocol: 'oidc',
    domains: [DEMO_IDP.domain],
    oidc: { issuer, clientId: DEMO_IDP.clientId, clientSecret: DEMO_IDP.clientSecret, scopes: [...DEMO_IDP.scopes] },
    attributeMapping: { email: 'email', name: 'name', groups: 'groups' },
    roleMapping: { defaultRole: 'member' },
    jitProvisioning,
  };
}

/** The demo person's subject at the IdP (stable, so restarts keep the federated link). */
const PERSON_SUBJECT = 'sso-person-1';

export interface DemoIdpOptions {
  /** SSO_PORT; 0 picks a free port. */
  port: number;
  /** The password of the demo person (ROSTER_DEMO_PASSWORD). */
  password: string;
  /** Where the IdP may send the person back: the stand-in's `/oauth2/idpresponse`. */
  redirectUris: string[];
  host?: string;
}

export interface DemoIdp {
  /** The issuer, `http://localhost:<port>`. */
  issuer: string;
  port: number;
  close(): Promise<void>;
}

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char,
  );

function loginPage(uid: string, email: string, error?: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · Demo IdP</title>
<style>
  body { font-family: system-ui, sans-serif; background: #f1f3f5; color: #212529; }
  main { max-width: 340px; margin: 10vh auto; padding: 2rem; background: #fff; border-radius: 8px; }
  label { display: block; margin-top: 1rem; font-weight: 600; }
  input { width: 100%; box-sizing: border-box; padding: .5rem; font-size: 1rem; }
  button { margin-top: 1.5rem; width: 100%; padding: .6rem; font-size: 1rem; background: #1864ab; color: #fff; border: 0; border-radius: 4px; }
  [role=alert] { color: #c92a2a; margin-top: 1rem; }
</style></head>
<body><main>
<h1>Demo IdP</h1>
<p>The identity provider of ${escapeHtml(DEMO_IDP.domain)} (local demo).</p>
<form method="post" action="/interaction/${encodeURIComponent(uid)}/login">
  <label for="email">Email</label>
  <input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(email)}">
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  ${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
  <button type="submit">Sign in</button>
</form>
</main></body></html>`;
}

function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= 16_384) chunks.push(chunk);
    });
    req.once('end', () => resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    req.once('error', reject);
  });
}

const html = (res: ServerResponse, status: number, body: string) => {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(body);
};

/** Starts the demo IdP; its keys are fresh on each start (tokens it signed before a restart are not kept anyway). */
export async function startDemoIdp(options: DemoIdpOptions): Promise<DemoIdp> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer();
  const port = await new Promise<number>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(options.port, 'SSO demo IdP', 'SSO_PORT') : error);
    server.once('error', onError);
    server.listen(options.port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
  const issuer = `http://localhost:${port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKey = { ...privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256' } as JWK;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: DEMO_IDP.clientId,
        client_secret: DEMO_IDP.clientSecret,
        redirect_uris: options.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
    // The ID token carries the person's claims, so a relying party needs no userinfo call.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    // Seconds; short, as a sign-in is one sitting (and oidc-provider asks for explicit values).
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AuthorizationCode: 60, IdToken: 3600, AccessToken: 3600 },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, sub) =>
      sub === PERSON_SUBJECT
        ? {
            accountId: sub,
            claims: () => ({
              sub,
              email: DEMO_IDP.person.email,
              email_verified: true,
              name: DEMO_IDP.person.name,
              groups: [...DEMO_IDP.person.groups],
            }),
          }
        : undefined,
    // The one client is first-party: consent is implied, as a workforce IdP grants its own apps.
    async loadExistingGrant(ctx) {
      const { client, session } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope(DEMO_IDP.scopes.join(' '));
      await grant.save();
      return grant;
    },
  });
  const callback = provider.callback();

  const interaction = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    const details = await provider.interactionDetails(req, res);
    if (req.method === 'GET') {
      const hint = typeof details.params.login_hint === 'string' ? details.params.login_hint : '';
      return html(res, 200, loginPage(details.uid, hint));
    }
    if (req.method !== 'POST' || !path.endsWith('/login')) return html(res, 405, 'Method Not Allowed');
    const form = await readForm(req);
    const email = (form.get('email') ?? '').trim().toLowerCase();
    if (email !== DEMO_IDP.person.email || form.get('password') !== options.password) {
      return html(res, 200, loginPage(details.uid, email, 'Incorrect email or password.'));
    }
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: PERSON_SUBJECT } },
      {
        mergeWithLastSubmission: false,
      },
    );
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (!path.startsWith('/interaction/')) {
      void callback(req, res);
      return;
    }
    interaction(req, res, path).catch((error: unknown) => {
      // An unknown or expired interaction (its cookie gone) is the person's to restart, not a crash.
      if (!res.headersSent) html(res, 400, `<!doctype html><title>Demo IdP</title><p>${escapeHtml(String(error))}</p>`);
    });
  });

  return {
    issuer,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
