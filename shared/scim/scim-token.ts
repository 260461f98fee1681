import { formatOrgCredential } from '../org-credential.js';
import type { OrgCredential } from '../org-credential-store.js';

/**
 * An org's SCIM bearer token, presented as `rst_<orgId>_<tokenId>_<secret>` (the shared
 * org-credential shape): the token alone names its org. Only its SHA-256 is stored.
 */
export type ScimToken = OrgCredential<'tokenId'>;

export const SCIM_TOKEN_PREFIX = 'rst';

export function formatScimToken(orgId: string, tokenId: string, secret: string): string {
  return formatOrgCredential(SCIM_TOKEN_PREFIX, orgId, tokenId, secret);
}

/** The token as admins list it: never the secret nor its hash. */
export function scimTokenView(token: ScimToken) {
  return { tokenId: token.tokenId, name: token.name, createdAt: token.createdAt, createdBy: token.createdBy };
}
