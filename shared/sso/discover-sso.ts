import type { AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { takeRateLimit, type RateLimit } from '../data/rate-limit.js';
import { TooManyRequestsError } from '../errors.js';
import { emailDomainOf } from './connection.js';
import { findDomainClaim } from './connection-repository.js';

/** Sign-in pages ask once a sign-in; a script probing domains asks many. */
export const SSO_DISCOVERY_LIMIT: RateLimit = { scope: 'sso-discovery-ip', limit: 60, windowSeconds: 60 };

export type SsoDiscovery = { sso: false } | { sso: true; idpIdentifier: string };

/**
 * Where an email signs in: through the SSO connection serving its domain (the console sends it
 * to `oauth2/authorize?idp_identifier=<domain>`), or with a password. Says nothing about whether
 * the address has an account: the answer is the domain's. Rate-limited per client IP.
 */
export async function discoverSso(
  deps: { db: Database; limit?: RateLimit },
  email: string,
  origin: Pick<AuditContext, 'ip' | 'now'>,
): Promise<SsoDiscovery> {
  const limit = deps.limit ?? SSO_DISCOVERY_LIMIT;
  if (origin.ip !== null && !(await takeRateLimit(deps.db, limit, origin.ip, origin.now)))
    throw new TooManyRequestsError('Too many sign-in lookups; wait a minute', 'rate_limited', limit.windowSeconds);
  const domain = emailDomainOf(email);
  const claim = await findDomainClaim(deps.db, domain);
  return claim ? { sso: true, idpIdentifier: domain } : { sso: false };
}
