import { auditStep, type AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { put, transactWrite } from '../data/transactions.js';
import { ConflictError } from '../errors.js';
import { newId, newSecret, sha256 } from '../ids.js';
import { formatApiKey, type ApiKey } from './api-key.js';
import { apiKeyToItem } from './api-key-repository.js';
import type { CreateApiKeyInput } from './schemas.js';

/**
 * Issues an org API key. The key is returned once, here; the table keeps only its SHA-256.
 * The key item and its audit event are one transaction.
 */
export async function createApiKey(db: Database, orgId: string, input: CreateApiKeyInput, audit: AuditContext): Promise<{ key: ApiKey; secret: string }> {
  const keyId = newId();
  const secret = formatApiKey(orgId, keyId, newSecret());
  const key: ApiKey = {
    keyId,
    orgId,
    name: input.name,
    secretHash: sha256(secret),
    createdAt: audit.now.toISOString(),
    createdBy: audit.actor.type === 'user' ? audit.actor.id : null,
  };
  await transactWrite(db, [
    put(db, apiKeyToItem(key), 'attribute_not_exists(PK)', () => new ConflictError('API key id collision; retry')),
    auditStep(db, { orgId, action: 'api_key.created', target: { type: 'api_key', id: keyId }, after: { name: key.name } }, audit),
  ]);
  return { key, secret };
}
