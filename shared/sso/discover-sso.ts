import type { Database } from '../data/dynamo-client.js';
import { emailDomainOf } from './connection.js';
import { findDomainClaim } from './connection-repository.js';

export type SsoDiscovery = { sso: false } | { sso: true; idpIdentifier: string };

/**
 * Where an email signs in: through the SSO connection serving its domain (the console sends it
 * to `oauth2/authorize?idp_identifier=<domain>`), or with a password. Says nothing about whether
 * the address has an account: the answer is the domain's. Rate-limited per client IP by the
 * pipeline (the operation's `limit`).
 */
export async function discoverSso(deps: { db: Database }, email: string): Promise<SsoDiscovery> {
  const domain = emailDomainOf(email);
  const claim = await findDomainClaim(deps.db, domain);
  return claim ? { sso: true, idpIdentifier: domain } : { sso: false };
}
