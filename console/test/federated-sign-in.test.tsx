import { screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SignInCallbackPage } from '../src/features/auth/pages/sign-in-callback-page';
import { completeFederatedSignIn, federatedSignInUrl, refusalSentence } from '../src/lib/auth/hosted-login';
import type { ConsoleConfig } from '../src/lib/config';
import { answerFetch, renderWithProviders } from './render';

const config: ConsoleConfig = {
  cognito: { endpoint: 'http://localhost/local/cognito', clientId: 'client-1', region: 'local' },
  oauthBaseUrl: 'http://localhost/local/cognito',
};

beforeEach(() => sessionStorage.clear());
afterEach(() => vi.unstubAllGlobals());

async function started(from = '/orgs/o1/members') {
  const url = new URL(await federatedSignInUrl(config, 'sso.acme.test', from));
  return { url, state: url.searchParams.get('state') ?? '' };
}

describe('sign-in through an identity provider (authorization code with PKCE)', () => {
  it('asks the managed login for a code for the domain, with an S256 challenge, a fresh state and the API scope', async () => {
    const { url, state } = await started();
    expect(url.origin + url.pathname).toBe('http://localhost/local/cognito/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'client-1',
      redirect_uri: `${window.location.origin}/sign-in/callback`,
      idp_identifier: 'sso.acme.test',
      code_challenge_method: 'S256',
    });
    expect(url.searchParams.get('scope')?.split(' ')).toEqual(
      expect.arrayContaining(['openid', 'aws.cognito.signin.user.admin']),
    );
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await started()).state).not.toBe(state);
  });

  it('exchanges the code with the verifier whose S256 is the challenge, and goes back where the person was', async () => {
    const { url, state } = await started();
    const { fetchStub, requests } = answerFetch(() => ({
      status: 200,
      body: { access_token: 'at', refresh_token: 'rt', id_token: 'it', expires_in: 3600, token_type: 'Bearer' },
    }));
    // The token endpoint takes a form, not JSON: record its body as text.
    const forms: URLSearchParams[] = [];
    vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
      forms.push(new URLSearchParams(String(init?.body)));
      return fetchStub(input, { ...init, body: undefined });
    });
    const result = await completeFederatedSignIn(config, `?code=c1&state=${state}`);
    expect(result).toMatchObject({
      kind: 'signedIn',
      from: '/orgs/o1/members',
      tokens: { accessToken: 'at', refreshToken: 'rt' },
    });
    expect(requests[0]?.path).toBe('/local/cognito/oauth2/token');
    const form = forms[0];
    expect(form?.get('grant_type')).toBe('authorization_code');
    expect(form?.get('code')).toBe('c1');
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(form?.get('code_verifier') ?? ''));
    const challenge = btoa(String.fromCharCode(...new Uint8Array(digest)))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
    expect(challenge).toBe(url.searchParams.get('code_challenge'));
  });

  it('refuses an answer whose state this tab did not start, without calling the token endpoint', async () => {
    await started();
    const fetchStub = vi.fn();
    vi.stubGlobal('fetch', fetchStub);
    await expect(completeFederatedSignIn(config, '?code=c1&state=forged')).rejects.toThrow(
      /not one this browser started/,
    );
    expect(fetchStub).not.toHaveBeenCalled();
  });

  it("shows a trigger's refusal as the sentence the person should read", async () => {
    expect(
      refusalSentence(
        'PreTokenGeneration failed with error Your organization does not admit new members through single sign-on.',
      ),
    ).toBe('Your organization does not admit new members through single sign-on.');
    const { state } = await started();
    await expect(
      completeFederatedSignIn(
        config,
        `?error=invalid_request&error_description=${encodeURIComponent('PreSignUp failed with error No seat is free.')}&state=${state}`,
      ),
    ).rejects.toThrow('No seat is free.');
  });

  it("retries once after Cognito's first sign-in of a linked identity, then shows the error", async () => {
    const { state } = await started();
    const description = encodeURIComponent('Already found an entry for username oidc-1_abc');
    const retry = await completeFederatedSignIn(
      config,
      `?error=invalid_request&error_description=${description}&state=${state}`,
    );
    expect(retry.kind).toBe('retry');
    const next = new URL(retry.kind === 'retry' ? retry.url : '').searchParams.get('state');
    await expect(
      completeFederatedSignIn(config, `?error=invalid_request&error_description=${description}&state=${next}`),
    ).rejects.toThrow(/Already found an entry/);
  });

  it('the callback page shows a refusal with a way back to sign-in', async () => {
    const { state } = await started();
    const { fetchStub } = answerFetch(() => ({ status: 200, body: config }));
    // The page loads /config.json by a relative URL, as a browser resolves it.
    vi.stubGlobal('fetch', (input: string, init?: RequestInit) =>
      fetchStub(new URL(input, window.location.origin), init),
    );
    window.history.replaceState(
      null,
      '',
      `/sign-in/callback?error=access_denied&error_description=Denied+by+policy&state=${state}`,
    );
    renderWithProviders(<SignInCallbackPage />, '/sign-in/callback');
    expect(await screen.findByRole('heading', { name: 'Sign-in refused' })).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toBe('Denied by policy.');
    expect(screen.getByRole('link', { name: 'Back to sign-in' })).toBeTruthy();
  });
});
