import type { Database } from '../data/dynamo-client.js';
import { apiKeyKey } from '../data/keys.js';
import type { Page } from '../data/pagination.js';
import {
  orgCredentialFromItem,
  orgCredentialToItem,
  queryOrgCredentials,
  type OrgCredentialKind,
} from '../org-credential-store.js';
import { API_KEY_PREFIX, type ApiKey } from './api-key.js';

export const API_KEY_ENTITY = 'apiKey';

/** API keys as org credentials (see org-credential-store.ts). */
export const API_KEY_KIND: OrgCredentialKind<'keyId'> = {
  kind: 'APIKEY',
  idField: 'keyId',
  prefix: API_KEY_PREFIX,
  entity: API_KEY_ENTITY,
  itemKey: apiKeyKey,
  auditType: 'api_key',
  label: 'API key',
};

export const apiKeyToItem = (key: ApiKey): Record<string, unknown> => orgCredentialToItem(API_KEY_KIND, key);

export const apiKeyFromItem = (item: Record<string, unknown>): ApiKey => orgCredentialFromItem(API_KEY_KIND, item);

/** One page of an org's keys, oldest first, from the org's credential index partition. */
export const queryApiKeys = (
  db: Database,
  orgId: string,
  limit: number,
  cursor: string | undefined,
): Promise<Page<ApiKey>> => queryOrgCredentials(API_KEY_KIND, db, orgId, limit, cursor);
