/**
 * Org API keys for the public API. The presented key is `rk_<orgId>_<keyId>_<secret>`: the
 * ids let authorization fetch the key item and its org in one consistent BatchGetItem, and
 * the 256-bit secret is what proves possession. Only the SHA-256 of the whole key is stored.
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
export const MAX_API_KEY_LENGTH = 256;

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
// base64url of 32 bytes is 43 characters, and may itself contain "_" and "-".
const API_KEY_PATTERN = new RegExp(`^${API_KEY_PREFIX}_(${UUID})_(${UUID})_([A-Za-z0-9_-]{43})$`);

export function formatApiKey(orgId: string, keyId: string, secret: string): string {
  return `${API_KEY_PREFIX}_${orgId}_${keyId}_${secret}`;
}

/** The ids a presented key names, or undefined when it is not shaped like a Roster key. */
export function parseApiKey(presented: string | undefined): { orgId: string; keyId: string } | undefined {
  if (presented === undefined || presented.length > MAX_API_KEY_LENGTH) return undefined;
  const match = API_KEY_PATTERN.exec(presented.trim());
  if (!match) return undefined;
  return { orgId: match[1]!, keyId: match[2]! };
}

/** The key as admins list it: never the secret nor its hash. */
export function apiKeyView(key: ApiKey) {
  return { keyId: key.keyId, name: key.name, createdAt: key.createdAt, createdBy: key.createdBy };
}
