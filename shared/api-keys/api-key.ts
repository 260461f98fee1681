import { formatOrgCredential, MAX_CREDENTIAL_LENGTH, parseOrgCredential } from '../org-credential.js';

/**
 * Org API keys for the public API, presented as `rk_<orgId>_<keyId>_<secret>` (the shared
 * org-credential shape, see org-credential.ts). Only the SHA-256 of the whole key is stored.
 */
export interface ApiKey {
  keyId: string;
  orgId: string;
  name: string;
  /** SHA-256 (hex) of the full presented key; the key itself is shown once and never stored. */
  secretHash: string;
  createdAt: string;
  /** User id of the admin who created it. */
  createdBy: string | null;
}

export const API_KEY_PREFIX = 'rk';

/** Longest key worth parsing; anything longer is refused before any work. */
export const MAX_API_KEY_LENGTH = MAX_CREDENTIAL_LENGTH;

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
