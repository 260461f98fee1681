import type { ConsoleConfig } from '../config';
import type { AuthTokens } from './cognito';

/**
 * Sign-in through an org's identity provider: the OAuth 2.0 authorization code flow with PKCE
 * (S256) against Cognito's managed login (`oauthBaseUrl`), which federates to the IdP named by
 * `idp_identifier` (the email's domain) and sends the browser back to `/sign-in/callback`.
 */
export const CALLBACK_PATH = '/sign-in/callback';
/** Roster's API routes require the user-pool scope; `openid` makes it an OpenID sign-in. */
const SCOPES = 'openid email profile aws.cognito.signin.user.admin';
const PENDING_KEY = 'roster.federatedSignIn';

interface PendingSignIn {
  state: string;
  verifier: string;
  idpIdentifier: string;
  /** Where to go once signed in. */
  from: string;
  /** Cognito's first sign-in after a link fails once by design; it is retried once. */
  retried: boolean;
}

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

const randomText = () => base64url(crypto.getRandomValues(new Uint8Array(32)));

async function s256(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}

/** A sign-in refused by the identity provider or by Roster (the sentence the person should read). */
export class FederatedSignInError extends Error {}

function oauthBase(config: ConsoleConfig): string {
  if (!config.oauthBaseUrl) throw new FederatedSignInError('Single sign-on is not set up for this deployment.');
  return config.oauthBaseUrl.replace(/\/$/, '');
}

/**
 * The managed login's authorize URL for the identity provider of `idpIdentifier` (an email
 * domain); the state and PKCE verifier it needs on return are kept in this tab's sessionStorage.
 */
export async function federatedSignInUrl(
  config: ConsoleConfig,
  idpIdentifier: string,
  from: string,
  retried = false,
): Promise<string> {
  const pending: PendingSignIn = { state: randomText(), verifier: randomText(), idpIdentifier, from, retried };
  const url = new URL(`${oauthBase(config)}/oauth2/authorize`);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.cognito.clientId,
    redirect_uri: `${window.location.origin}${CALLBACK_PATH}`,
    scope: SCOPES,
    state: pending.state,
    code_challenge: await s256(pending.verifier),
    code_challenge_method: 'S256',
    idp_identifier: idpIdentifier,
  }).toString();
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  return url.href;
}

/**
 * Cognito wraps a trigger's refusal as `<Trigger> failed with error <sentence>.`: the person
 * reads the sentence.
 */
export function refusalSentence(description: string): string {
  const match = /^\w+ failed with error (.*?)\.?$/s.exec(description.trim());
  const sentence = (match?.[1] ?? description).trim();
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}

function takePending(): PendingSignIn | undefined {
  const raw = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as PendingSignIn;
  } catch {
    return undefined;
  }
}

export type CallbackResult = { kind: 'signedIn'; tokens: AuthTokens; from: string } | { kind: 'retry'; url: string };

/** Completes the sign-in on `/sign-in/callback`: checks the state, then exchanges the code (with the PKCE verifier) for tokens. */
export async function completeFederatedSignIn(config: ConsoleConfig, search: string): Promise<CallbackResult> {
  const params = new URLSearchParams(search);
  const pending = takePending();
  if (!pending || params.get('state') !== pending.state)
    throw new FederatedSignInError('This sign-in link is not one this browser started. Sign in again.');
  const error = params.get('error');
  if (error) {
    const description = params.get('error_description') ?? error;
    if (!pending.retried && description.startsWith('Already found an entry for username')) {
      return { kind: 'retry', url: await federatedSignInUrl(config, pending.idpIdentifier, pending.from, true) };
    }
    throw new FederatedSignInError(refusalSentence(description));
  }
  const code = params.get('code');
  if (!code) throw new FederatedSignInError('The sign-in answer carried no code. Sign in again.');
  const res = await fetch(`${oauthBase(config)}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: config.cognito.clientId,
      code,
      redirect_uri: `${window.location.origin}${CALLBACK_PATH}`,
      code_verifier: pending.verifier,
    }).toString(),
  });
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok || typeof json.access_token !== 'string')
    throw new FederatedSignInError(
      refusalSentence(String(json.error_description ?? json.error ?? `Sign-in service answered ${res.status}`)),
    );
  return {
    kind: 'signedIn',
    from: pending.from,
    tokens: {
      accessToken: json.access_token,
      ...(typeof json.refresh_token === 'string' ? { refreshToken: json.refresh_token } : {}),
      expiresAt: Date.now() + Number(json.expires_in ?? 3600) * 1000,
    },
  };
}
