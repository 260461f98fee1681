import type { Database } from '../data/dynamo-client.js';
import { apiKeyKey, orgCredentialIndexKeys, orgCredentialPartition } from '../data/keys.js';
import { queryPage, type Page } from '../data/pagination.js';
import type { ApiKey } from './api-key.js';

export const API_KEY_ENTITY = 'apiKey';
const API_KEY_INDEX = 'GSI1';

export function apiKeyToItem(key: ApiKey): Record<string, unknown> {
  return { ...apiKeyKey(key.keyId), ...orgCredentialIndexKeys('APIKEY', key.orgId, key.createdAt, key.keyId), entity: API_KEY_ENTITY, ...key };
}

export function apiKeyFromItem(item: Record<string, unknown>): ApiKey {
  return {
    keyId: item.keyId as string,
    orgId: item.orgId as string,
    name: item.name as string,
    secretHash: item.secretHash as string,
    createdAt: item.createdAt as string,
    createdBy: (item.createdBy as string | null | undefined) ?? null,
  };
}

/** One page of an org's keys, oldest first, from the org's credential index partition. */
export async function queryApiKeys(db: Database, orgId: string, limit: number, cursor: string | undefined): Promise<Page<ApiKey>> {
  const page = await queryPage(db, { index: API_KEY_INDEX, partition: orgCredentialPartition('APIKEY', orgId), forward: true, limit, cursor });
  return { items: page.items.map(apiKeyFromItem), nextCursor: page.nextCursor };
}
