import type { AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { revokeOrgCredential } from '../org-credential-store.js';
import { API_KEY_KIND } from './api-key-repository.js';

/**
 * Revokes a key by deleting it: authorization reads the key item with a consistent read, so
 * the very next request with it is refused. Key ids are global, so the delete is conditioned
 * on the key belonging to the path's org: another org's key id reads as unknown.
 */
export function revokeApiKey(db: Database, orgId: string, keyId: string, audit: AuditContext): Promise<void> {
  return revokeOrgCredential(API_KEY_KIND, db, orgId, keyId, audit);
}
