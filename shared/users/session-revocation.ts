import { UnauthorizedError } from '../errors.js';

/**
 * A token issued before the sessions were ended (sign-out everywhere, disable, reset; or, on a
 * membership, in that org) is refused even while unexpired: Cognito access tokens cannot be
 * revoked one by one. The comparison is at the token's own precision: a whole-second `iat`
 * is compared with the revocation's whole second, so a sign-in right after a revocation works
 * (a token of the revocation's own second is accepted; with millisecond tokens, exactly).
 */
export function rejectRevokedSession(
  holder: { sessionsRevokedAt?: string | null } | undefined,
  issuedAtMs: number,
  precisionMs = 1000,
): void {
  if (!holder?.sessionsRevokedAt) return;
  const revokedAt = Math.floor(Date.parse(holder.sessionsRevokedAt) / precisionMs) * precisionMs;
  if (issuedAtMs < revokedAt) throw new UnauthorizedError('session_revoked', 'This session was ended; sign in again');
}
