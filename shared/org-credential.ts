/**
 * Org credentials (API keys, SCIM tokens) share one shape: `<prefix>_<orgId>_<id>_<secret>`.
 * The ids let authorization fetch the credential item and its org in one consistent
 * BatchGetItem; the 256-bit secret proves possession. Only the SHA-256 of the whole
 * presented value is stored, and it is shown once, when issued.
 */

/** Longest credential worth parsing; anything longer is refused before any work. */
export const MAX_CREDENTIAL_LENGTH = 256;

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
// base64url of 32 bytes is 43 characters, and may itself contain "_" and "-".
const SECRET = '[A-Za-z0-9_-]{43}';

export function formatOrgCredential(prefix: string, orgId: string, id: string, secret: string): string {
  return `${prefix}_${orgId}_${id}_${secret}`;
}

/** The ids a presented credential names, or undefined when it is not shaped like one with this prefix. */
export function parseOrgCredential(
  prefix: string,
  presented: string | undefined,
): { orgId: string; id: string } | undefined {
  if (presented === undefined || presented.length > MAX_CREDENTIAL_LENGTH) return undefined;
  const match = new RegExp(`^${prefix}_(${UUID})_(${UUID})_${SECRET}$`).exec(presented.trim());
  if (!match) return undefined;
  return { orgId: match[1]!, id: match[2]! };
}
