import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { auditStep, type AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { apiKeyKey } from '../data/keys.js';
import { remove, transactWrite } from '../data/transactions.js';
import { NotFoundError } from '../errors.js';
import { apiKeyFromItem } from './api-key-repository.js';

const keyNotFound = () => new NotFoundError('No such API key', 'api_key_not_found');

/**
 * Revokes a key by deleting it: authorization reads the key item with a consistent read, so
 * the very next request with it is refused. Key ids are global, so the delete is conditioned
 * on the key belonging to the path's org: another org's key id reads as unknown.
 */
export async function revokeApiKey(db: Database, orgId: string, keyId: string, audit: AuditContext): Promise<void> {
  const { Item } = await db.client.send(new GetCommand({ TableName: db.tableName, Key: apiKeyKey(keyId), ConsistentRead: true }));
  const key = Item ? apiKeyFromItem(Item) : undefined;
  if (!key || key.orgId !== orgId) throw keyNotFound();
  await transactWrite(db, [
    remove(db, apiKeyKey(keyId), { expression: 'orgId = :org', values: { ':org': orgId } }, keyNotFound),
    auditStep(db, { orgId, action: 'api_key.revoked', target: { type: 'api_key', id: keyId }, before: { name: key.name } }, audit),
  ]);
}
