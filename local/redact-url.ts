/** Path prefixes whose next segment is a bearer secret (invitation, password-reset and email-confirmation tokens). */
const TOKEN_PATHS = ['/v1/invitations/', '/v1/password-resets/', '/v1/email-confirmations/'];

/**
 * A request URL as the local server logs it: a token in the path replaced by `[redacted]`, the
 * query string dropped (cursors and signed links carry secrets too). Logs are read by more
 * people, for longer, than the links were meant for.
 */
export function redactUrl(url: string | undefined): string {
  const path = (url ?? '').split('?')[0] ?? '';
  for (const prefix of TOKEN_PATHS) {
    if (path.startsWith(prefix) && path.length > prefix.length) {
      const rest = path.slice(prefix.length);
      const slash = rest.indexOf('/');
      return `${prefix}[redacted]${slash >= 0 ? rest.slice(slash) : ''}`;
    }
  }
  return path;
}
