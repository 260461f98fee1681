import type { Database } from '../data/dynamo-client.js';
import type { Page } from '../data/pagination.js';
import { apiKeyView } from './api-key.js';
import { queryApiKeys } from './api-key-repository.js';
import type { ListApiKeysQuery } from './schemas.js';

/** One page of an org's live API keys (revoked ones are gone), without secrets or hashes. */
export async function listApiKeys(
  db: Database,
  orgId: string,
  query: ListApiKeysQuery,
): Promise<Page<ReturnType<typeof apiKeyView>>> {
  const page = await queryApiKeys(db, orgId, query.limit, query.cursor);
  return { items: page.items.map(apiKeyView), nextCursor: page.nextCursor };
}
