import { loadConfig } from '../config';
import { refreshTokens, type AuthTokens } from './cognito';

/**
 * The signed-in session. The access token lives only in memory (never in storage a script
 * can read later); the refresh token is kept in sessionStorage so a reload of this tab stays
 * signed in, while closing the tab ends it (a refresh token in localStorage would outlive the
 * tab and be shared by every tab).
 */
const REFRESH_KEY = 'roster.refreshToken';
let current: AuthTokens | null = null;
const listeners = new Set<() => void>();

const notify = () => listeners.forEach((listener) => listener());

export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export const sessionTokens = (): AuthTokens | null => current;

export function startSession(tokens: AuthTokens): void {
  current = tokens;
  if (tokens.refreshToken) sessionStorage.setItem(REFRESH_KEY, tokens.refreshToken);
  notify();
}

export function endSession(): void {
  current = null;
  sessionStorage.removeItem(REFRESH_KEY);
  notify();
}

let refreshing: Promise<string | null> | undefined;

/** A valid access token: the one in memory, or a fresh one from the stored refresh token; null when signed out. */
export function accessToken(): Promise<string | null> {
  if (current && current.expiresAt - 60_000 > Date.now()) return Promise.resolve(current.accessToken);
  const refreshToken = current?.refreshToken ?? sessionStorage.getItem(REFRESH_KEY);
  if (!refreshToken) return Promise.resolve(current?.accessToken ?? null);
  refreshing ??= loadConfig()
    .then((config) => refreshTokens(config, refreshToken))
    .then((tokens) => {
      startSession(tokens);
      return tokens.accessToken;
    })
    .catch(() => {
      endSession();
      return null;
    })
    .finally(() => {
      refreshing = undefined;
    });
  return refreshing;
}

/** Whether a stored refresh token may restore the session after a reload. */
export const mayRestoreSession = (): boolean => current !== null || sessionStorage.getItem(REFRESH_KEY) !== null;
