import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { auditStep, type AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { scimTokenKey } from '../data/keys.js';
import type { Page } from '../data/pagination.js';
import { put, remove, transactWrite } from '../data/transactions.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { newId, newSecret, sha256 } from '../ids.js';
import { formatScimToken, scimTokenView, type ScimToken } from './scim-token.js';
import { queryScimTokens, scimTokenFromItem, scimTokenToItem } from './scim-token-repository.js';
import type { CreateScimTokenInput, ListScimTokensQuery } from './schemas.js';

/**
 * Issues an org SCIM token. The token is returned once, here; the table keeps only its
 * SHA-256. The token item and its audit event are one transaction.
 */
export async function createScimToken(db: Database, orgId: string, input: CreateScimTokenInput, audit: AuditContext): Promise<{ token: ScimToken; secret: string }> {
  const tokenId = newId();
  const secret = formatScimToken(orgId, tokenId, newSecret());
  const token: ScimToken = {
    tokenId,
    orgId,
    name: input.name,
    secretHash: sha256(secret),
    createdAt: audit.now.toISOString(),
    createdBy: audit.actor.type === 'user' ? audit.actor.id : null,
  };
  await transactWrite(db, [
    put(db, scimTokenToItem(token), 'attribute_not_exists(PK)', () => new ConflictError('SCIM token id collision; retry')),
    auditStep(db, { orgId, action: 'scim_token.created', target: { type: 'scim_token', id: tokenId }, after: { name: token.name } }, audit),
  ]);
  return { token, secret };
}

/** One page of an org's live SCIM tokens (revoked ones are gone), without secrets or hashes. */
export async function listScimTokens(db: Database, orgId: string, query: ListScimTokensQuery): Promise<Page<ReturnType<typeof scimTokenView>>> {
  const page = await queryScimTokens(db, orgId, query.limit, query.cursor);
  return { items: page.items.map(scimTokenView), nextCursor: page.nextCursor };
}

const tokenNotFound = () => new NotFoundError('No such SCIM token', 'scim_token_not_found');

/**
 * Revokes a token by deleting it: authorization reads the token item with a consistent read,
 * so the very next SCIM request with it is refused. Token ids are global, so the delete is
 * conditioned on the token belonging to the path's org: another org's token id reads as unknown.
 */
export async function revokeScimToken(db: Database, orgId: string, tokenId: string, audit: AuditContext): Promise<void> {
  const { Item } = await db.client.send(new GetCommand({ TableName: db.tableName, Key: scimTokenKey(tokenId), ConsistentRead: true }));
  const token = Item ? scimTokenFromItem(Item) : undefined;
  if (!token || token.orgId !== orgId) throw tokenNotFound();
  await transactWrite(db, [
    remove(db, scimTokenKey(tokenId), { expression: 'orgId = :org', values: { ':org': orgId } }, tokenNotFound),
    auditStep(db, { orgId, action: 'scim_token.revoked', target: { type: 'scim_token', id: tokenId }, before: { name: token.name } }, audit),
  ]);
}
