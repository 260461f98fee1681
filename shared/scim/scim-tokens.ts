import type { AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import type { Page } from '../data/pagination.js';
import { createOrgCredential, revokeOrgCredential } from '../org-credential-store.js';
import { scimTokenView, type ScimToken } from './scim-token.js';
import { queryScimTokens, SCIM_TOKEN_KIND } from './scim-token-repository.js';
import type { CreateScimTokenInput, ListScimTokensQuery } from './schemas.js';

/**
 * Issues an org SCIM token. The token is returned once, here; the table keeps only its
 * SHA-256. The token item and its audit event are one transaction.
 */
export async function createScimToken(
  db: Database,
  orgId: string,
  input: CreateScimTokenInput,
  audit: AuditContext,
): Promise<{ token: ScimToken; secret: string }> {
  const { credential, secret } = await createOrgCredential(SCIM_TOKEN_KIND, db, orgId, input, audit);
  return { token: credential, secret };
}

/** One page of an org's live SCIM tokens (revoked ones are gone), without secrets or hashes. */
export async function listScimTokens(
  db: Database,
  orgId: string,
  query: ListScimTokensQuery,
): Promise<Page<ReturnType<typeof scimTokenView>>> {
  const page = await queryScimTokens(db, orgId, query.limit, query.cursor);
  return { items: page.items.map(scimTokenView), nextCursor: page.nextCursor };
}

/**
 * Revokes a token by deleting it: authorization reads the token item with a consistent read,
 * so the very next SCIM request with it is refused. Token ids are global, so the delete is
 * conditioned on the token belonging to the path's org: another org's token id reads as unknown.
 */
export function revokeScimToken(db: Database, orgId: string, tokenId: string, audit: AuditContext): Promise<void> {
  return revokeOrgCredential(SCIM_TOKEN_KIND, db, orgId, tokenId, audit);
}
