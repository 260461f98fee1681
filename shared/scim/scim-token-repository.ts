import type { Database } from '../data/dynamo-client.js';
import { orgCredentialIndexKeys, orgCredentialPartition, scimTokenKey } from '../data/keys.js';
import { queryPage, type Page } from '../data/pagination.js';
import type { ScimToken } from './scim-token.js';

export const SCIM_TOKEN_ENTITY = 'scimToken';
const SCIM_TOKEN_INDEX = 'GSI1';

export function scimTokenToItem(token: ScimToken): Record<string, unknown> {
  return { ...scimTokenKey(token.tokenId), ...orgCredentialIndexKeys('SCIMTOKEN', token.orgId, token.createdAt, token.tokenId), entity: SCIM_TOKEN_ENTITY, ...token };
}

export function scimTokenFromItem(item: Record<string, unknown>): ScimToken {
  return {
    tokenId: item.tokenId as string,
    orgId: item.orgId as string,
    name: item.name as string,
    secretHash: item.secretHash as string,
    createdAt: item.createdAt as string,
    createdBy: (item.createdBy as string | null | undefined) ?? null,
  };
}

/** One page of an org's SCIM tokens, oldest first, from the org's credential index partition. */
export async function queryScimTokens(db: Database, orgId: string, limit: number, cursor: string | undefined): Promise<Page<ScimToken>> {
  const page = await queryPage(db, { index: SCIM_TOKEN_INDEX, partition: orgCredentialPartition('SCIMTOKEN', orgId), forward: true, limit, cursor });
  return { items: page.items.map(scimTokenFromItem), nextCursor: page.nextCursor };
}
