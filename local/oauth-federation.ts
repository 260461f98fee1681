import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import * as oidc from 'openid-client';
import type { ApiResult } from '../shared/http/types.js';
import type { FederatedIdentity, FederatedProvider } from '../shared/identity/identity-port.js';
import { lambdaContext } from './lambda-context.js';
import {
  CognitoError,
  runCognitoAction,
  runPreTokenGeneration,
  triggerName,
  type CognitoDeps,
  type TokenUser,
} from './cognito-api.js';
import { CONSOLE_CALLBACK_PATH, OAUTH_IDP_RESPONSE_PATH } from './oauth-paths.js';
import { COGNITO_SCOPE } from './token-issuer.js';

export type ProviderQuery = { providerName: string } | { idpIdentifier: string };

/** The user pool's side of federation, as the local identity adapter keeps it in the table. */
export interface FederationStore {
  /** The pool's identity provider by name or idp_identifier, with its client secret (findLocalIdentityProvider). */
  findProvider(query: ProviderQuery): Promise<FederatedProvider | undefined>;
  /** The user a (provider, subject) signs in as: linked, or created at its first sign-in; undefined when new. */
  findFederatedIdentity(federated: FederatedIdentity): Promise<string | undefined>;
  /** The user Cognito creates for a first federated sign-in nothing linked; answers its id (its tokens' sub). */
  createFederatedIdentity(federated: FederatedIdentity, email: string): Promise<string>;
}

export interface FederationDeps extends CognitoDeps {
  federation: FederationStore;
}

/** Cognito's authorization codes are good for five minutes, and once. */
const CODE_SECONDS = 300;
/** How long a person may spend at the IdP before the stand-in forgets the request. */
const PENDING_SECONDS = 600;
/** Roster's jwt routes require this scope; `openid` makes it an OpenID sign-in. */
const REQUIRED_SCOPES = ['openid', COGNITO_SCOPE];

interface ClientRequest {
  redirectUri: string;
  state: string | undefined;
  codeChallenge: string;
  scopes: string[];
}

interface Pending {
  client: ClientRequest;
  provider: FederatedProvider;
  config: oidc.Configuration;
  codeVerifier: string;
  nonce: string;
  expiresAt: number;
}

interface IssuedCode {
  client: ClientRequest;
  user: TokenUser;
  overrides: Awaited<ReturnType<typeof runPreTokenGeneration>>;
  expiresAt: number;
}

/** One-use entries that expire; the stand-in's memory of sign-ins in flight (one process, as npm start is). */
class ExpiringMap<T extends { expiresAt: number }> {
  private readonly entries = new Map<string, T>();
  put(key: string, value: T): void {
    const now = Date.now();
    for (const [k, v] of this.entries) if (v.expiresAt <= now) this.entries.delete(k);
    this.entries.set(key, value);
  }
  /** The entry, removed: a second take of the same key finds nothing. */
  take(key: string): T | undefined {
    const value = this.entries.get(key);
    this.entries.delete(key);
    return value && value.expiresAt > Date.now() ? value : undefined;
  }
}

const page = (statusCode: number, message: string): ApiResult => ({
  statusCode,
  headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
  body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in error</title></head><body><main><h1>Sign-in error</h1><p>${message.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)}</p></main></body></html>`,
});

const redirect = (location: string): ApiResult => ({
  statusCode: 302,
  headers: { location, 'cache-control': 'no-store' },
  body: '',
});

/** Back to the console's callback with the OAuth error, as Cognito's managed login redirects refusals. */
function errorRedirect(client: ClientRequest, error: string, description: string): ApiResult {
  const url = new URL(client.redirectUri);
  url.searchParams.set('error', error);
  url.searchParams.set('error_description', description);
  if (client.state !== undefined) url.searchParams.set('state', client.state);
  return redirect(url.href);
}

const json = (statusCode: number, body: unknown): ApiResult => ({
  statusCode,
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store', pragma: 'no-cache' },
  body: JSON.stringify(body),
});

/** Cognito renders multi-valued claims (groups) into one attribute as `[a, b]`. */
function attributeValue(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return `[${value.map(String).join(', ')}]`;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

const sameText = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/**
 * The managed login's OAuth 2.0 endpoints of the local Cognito stand-in (contract §3): sign-in
 * federated to an OIDC identity provider with the authorization code flow, then Cognito's
 * trigger sequence, then a single-use code for the console, exchanged with PKCE S256.
 */
export function createOAuthEndpoints(deps: FederationDeps) {
  const pending = new ExpiringMap<Pending>();
  const codes = new ExpiringMap<IssuedCode>();

  /** `GET /oauth2/authorize`: checks the client's request, then sends the person to their IdP. */
  async function authorize(query: URLSearchParams, origin: string): Promise<ApiResult> {
    // Until the client and its redirect URI are known good, errors are a page (never a redirect to an unchecked URI).
    if (query.get('client_id') !== deps.issuer.clientId) return page(400, 'Unknown client_id.');
    const redirectUri = query.get('redirect_uri') ?? '';
    // The SPA client's callback URL, as the app client lists it in AWS: the console on this origin.
    if (redirectUri !== `${origin}${CONSOLE_CALLBACK_PATH}`)
      return page(400, 'redirect_uri is not a callback URL of this client.');
    const state = query.get('state') ?? undefined;
    const scopes = (query.get('scope') ?? '').split(' ').filter(Boolean);
    const client: ClientRequest = { redirectUri, state, codeChallenge: query.get('code_challenge') ?? '', scopes };
    if (query.get('response_type') !== 'code')
      return errorRedirect(client, 'unsupported_response_type', 'response_type must be code');
    if (query.get('code_challenge_method') !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(client.codeChallenge))
      return errorRedirect(client, 'invalid_request', 'code_challenge (S256) is required');
    const missing = REQUIRED_SCOPES.filter((scope) => !scopes.includes(scope));
    if (missing.length > 0)
      return errorRedirect(client, 'invalid_scope', `scope must include ${missing.join(' and ')}`);

    const providerName = query.get('identity_provider');
    const idpIdentifier = query.get('idp_identifier')?.trim().toLowerCase();
    const providerQuery: ProviderQuery | undefined = providerName
      ? { providerName }
      : idpIdentifier
        ? { idpIdentifier }
        : undefined;
    if (!providerQuery)
      return errorRedirect(client, 'invalid_request', 'identity_provider or idp_identifier is required');
    const provider = await deps.federation.findProvider(providerQuery);
    if (!provider) return errorRedirect(client, 'invalid_request', 'No identity provider for this sign-in.');
    if (provider.protocol !== 'oidc' || !provider.oidc)
      return errorRedirect(client, 'invalid_request', 'The local stand-in federates to OpenID Connect providers only.');

    let config: oidc.Configuration;
    try {
      config = await oidc.discovery(
        new URL(provider.oidc.issuer),
        provider.oidc.clientId,
        provider.oidc.clientSecret,
        undefined,
        // Local IdPs answer on http://localhost; Cognito insists on https in AWS.
        { execute: [oidc.allowInsecureRequests] },
      );
    } catch (error) {
      return errorRedirect(
        client,
        'server_error',
        `The identity provider could not be reached: ${(error as Error).message}`,
      );
    }
    // Check the ID token's signature too, not only what TLS would vouch for.
    oidc.enableNonRepudiationChecks(config);
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const nonce = oidc.randomNonce();
    const upstreamState = oidc.randomState();
    pending.put(upstreamState, {
      client,
      provider,
      config,
      codeVerifier,
      nonce,
      expiresAt: Date.now() + PENDING_SECONDS * 1000,
    });
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: `${origin}${OAUTH_IDP_RESPONSE_PATH}`,
      scope: provider.oidc.scopes.join(' '),
      state: upstreamState,
      nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    });
    return redirect(url.href);
  }

  /** `GET /oauth2/idpresponse`: the IdP's answer; the code exchange, then Cognito's triggers, then a code for the console. */
  async function idpResponse(query: URLSearchParams, currentUrl: URL): Promise<ApiResult> {
    const state = query.get('state') ?? '';
    const request = pending.take(state);
    if (!request) return page(400, 'This sign-in has expired or was already used. Start again from the console.');
    const { client, provider, config } = request;
    const idpError = query.get('error');
    if (idpError)
      return errorRedirect(
        client,
        idpError,
        query.get('error_description') ?? 'The identity provider refused the sign-in.',
      );

    let claims: Record<string, unknown>;
    try {
      const tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: request.codeVerifier,
        expectedNonce: request.nonce,
        expectedState: state,
        idTokenExpected: true,
      });
      claims = tokens.claims() ?? {};
    } catch (error) {
      return errorRedirect(
        client,
        'invalid_request',
        `The identity provider's answer was refused: ${(error as Error).message}`,
      );
    }
    const subject = typeof claims.sub === 'string' ? claims.sub : '';
    const attributes: Record<string, string> = {};
    for (const [attribute, claim] of Object.entries(provider.attributeMapping)) {
      const value = attributeValue(claims[claim]);
      if (value !== undefined) attributes[attribute] = value;
    }
    const email = attributes.email;
    if (!subject || !email)
      return errorRedirect(client, 'invalid_request', 'The identity provider sent no email for this person.');
    attributes.identities = JSON.stringify([
      {
        userId: subject,
        providerName: provider.providerName,
        providerType: 'OIDC',
        issuer: null,
        primary: true,
        dateCreated: Date.now(),
      },
    ]);
    const userName = `${provider.providerName}_${subject}`;

    try {
      const userId = await signInFederatedUser(provider.providerName, subject, userName, email, attributes);
      const account = await deps.identity.describe(userId);
      if (!account) throw new CognitoError('UserNotFoundException', 'User does not exist.');
      if (!account.enabled) throw new CognitoError('NotAuthorizedException', 'User is disabled.');
      // A linked password user signs in as themselves; its attributes are the IdP's of this sign-in.
      const user: TokenUser = { userId, userName, email: account.email, groups: account.groups, attributes };
      const overrides = await runPreTokenGeneration(deps, 'TokenGeneration_HostedAuth', user, client.scopes);
      const code = randomBytes(32).toString('base64url');
      codes.put(code, { client, user, overrides, expiresAt: Date.now() + CODE_SECONDS * 1000 });
      const url = new URL(client.redirectUri);
      url.searchParams.set('code', code);
      if (client.state !== undefined) url.searchParams.set('state', client.state);
      return redirect(url.href);
    } catch (error) {
      if (error instanceof CognitoError) return errorRedirect(client, 'invalid_request', error.message);
      throw error;
    }
  }

  /**
   * Cognito's federated sign-in: the user an IdP identity is linked to, or, the first time,
   * the pre-sign-up trigger (PreSignUp_ExternalProvider, which may link it to a user) and then
   * a new federated user. The mapped attributes are refreshed at each sign-in.
   */
  async function signInFederatedUser(
    providerName: string,
    subject: string,
    userName: string,
    email: string,
    attributes: Record<string, string>,
  ): Promise<string> {
    const federated = { providerName, subject };
    const known = await deps.federation.findFederatedIdentity(federated);
    if (known) return known;
    {
      const trigger = triggerName(deps, 'preSignUp');
      if (trigger) {
        const handler = await deps.loadHandler(trigger);
        try {
          await handler(
            {
              version: '1',
              triggerSource: 'PreSignUp_ExternalProvider',
              region: 'local',
              userPoolId: 'local',
              userName,
              callerContext: { awsSdkVersion: 'local', clientId: deps.issuer.clientId },
              request: { userAttributes: attributes, validationData: {}, clientMetadata: {} },
              response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
            },
            lambdaContext(trigger),
          );
        } catch (error) {
          throw new CognitoError(
            'UserLambdaValidationException',
            `PreSignUp failed with error ${(error as Error).message}.`,
          );
        }
        // As Cognito: a first sign-in the trigger linked to a user fails once (Cognito's sign-up
        // of the federated user finds the linked entry); the next attempt signs in as the linked user.
        if (await deps.federation.findFederatedIdentity(federated))
          throw new CognitoError('InvalidParameterException', `Already found an entry for username ${userName}`);
      }
      return deps.federation.createFederatedIdentity(federated, email);
    }
  }

  /** `POST /oauth2/token`: the console's code (with its PKCE verifier) or refresh token, for tokens. */
  async function token(form: URLSearchParams): Promise<ApiResult> {
    const grantType = form.get('grant_type');
    if (form.get('client_id') !== deps.issuer.clientId) return json(400, { error: 'invalid_client' });
    if (grantType === 'refresh_token') {
      try {
        const result = (await runCognitoAction(deps, 'InitiateAuth', {
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          ClientId: deps.issuer.clientId,
          AuthParameters: { REFRESH_TOKEN: form.get('refresh_token') ?? '' },
        })) as { AuthenticationResult: { AccessToken: string; IdToken: string; ExpiresIn: number } };
        const auth = result.AuthenticationResult;
        return json(200, {
          access_token: auth.AccessToken,
          id_token: auth.IdToken,
          expires_in: auth.ExpiresIn,
          token_type: 'Bearer',
        });
      } catch (error) {
        if (error instanceof CognitoError)
          return json(400, { error: 'invalid_grant', error_description: error.message });
        throw error;
      }
    }
    if (grantType !== 'authorization_code') return json(400, { error: 'unsupported_grant_type' });
    const issued = codes.take(form.get('code') ?? '');
    if (!issued)
      return json(400, { error: 'invalid_grant', error_description: 'The code is unknown, expired or used.' });
    if (form.get('redirect_uri') !== issued.client.redirectUri)
      return json(400, {
        error: 'invalid_grant',
        error_description: 'redirect_uri differs from the authorization request',
      });
    const verifier = form.get('code_verifier') ?? '';
    if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) || !sameText(s256(verifier), issued.client.codeChallenge))
      return json(400, {
        error: 'invalid_grant',
        error_description: 'code_verifier does not match the code_challenge',
      });
    const { user, overrides } = issued;
    const tokens = deps.issuer.issue(user, new Date(), undefined, overrides);
    return json(200, {
      access_token: tokens.accessToken,
      id_token: tokens.idToken,
      refresh_token: deps.issuer.issueRefreshToken(user.userId, tokens.session),
      expires_in: tokens.expiresIn,
      token_type: 'Bearer',
    });
  }

  return { authorize, idpResponse, token };
}
