import { formatOrgCredential, parseOrgCredential } from '../org-credential.js';
import type { OrgCredential } from '../org-credential-store.js';

/**
 * Org API keys for the public API, presented as `rk_<orgId>_<keyId>_<secret>` (the shared
 * org-credential shape, see org-credential.ts). Only the SHA-256 of the whole key is stored.
 */
export type ApiKey = OrgCredential<'keyId'>;

export const API_KEY_PREFIX = 'rk';

export function formatApiKey(orgId: string, keyId: string, secret: string): string {
  return formatOrgCredential(API_KEY_PREFIX, orgId, keyId, secret);
}

/** The ids a presented key names, or undefined when it is not shaped like a Roster key. */
export function parseApiKey(presented: string | undefined): { orgId: string; keyId: string } | undefined {
  const ids = parseOrgCredential(API_KEY_PREFIX, presented);
  return ids ? { orgId: ids.orgId, keyId: ids.id } : undefined;
}

/** The key as admins list it: never the secret nor its hash. */
export function apiKeyView(key: ApiKey) {
  return { keyId: key.keyId, name: key.name, createdAt: key.createdAt, createdBy: key.createdBy };
}
