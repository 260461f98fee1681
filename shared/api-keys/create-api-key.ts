import type { AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { createOrgCredential } from '../org-credential-store.js';
import type { ApiKey } from './api-key.js';
import { API_KEY_KIND } from './api-key-repository.js';
import type { CreateApiKeyInput } from './schemas.js';

/**
 * Issues an org API key. The key is returned once, here; the table keeps only its SHA-256.
 * The key item and its audit event are one transaction.
 */
export async function createApiKey(
  db: Database,
  orgId: string,
  input: CreateApiKeyInput,
  audit: AuditContext,
): Promise<{ key: ApiKey; secret: string }> {
  const { credential, secret } = await createOrgCredential(API_KEY_KIND, db, orgId, input, audit);
  return { key: credential, secret };
}
