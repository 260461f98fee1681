import type { Database } from '../data/dynamo-client.js';
import { scimTokenKey } from '../data/keys.js';
import type { Page } from '../data/pagination.js';
import {
  orgCredentialFromItem,
  orgCredentialToItem,
  queryOrgCredentials,
  type OrgCredentialKind,
} from '../org-credential-store.js';
import { SCIM_TOKEN_PREFIX, type ScimToken } from './scim-token.js';

export const SCIM_TOKEN_ENTITY = 'scimToken';

/** SCIM tokens as org credentials (see org-credential-store.ts). */
export const SCIM_TOKEN_KIND: OrgCredentialKind<'tokenId'> = {
  kind: 'SCIMTOKEN',
  idField: 'tokenId',
  prefix: SCIM_TOKEN_PREFIX,
  entity: SCIM_TOKEN_ENTITY,
  itemKey: scimTokenKey,
  auditType: 'scim_token',
  label: 'SCIM token',
};

export const scimTokenToItem = (token: ScimToken): Record<string, unknown> =>
  orgCredentialToItem(SCIM_TOKEN_KIND, token);

export const scimTokenFromItem = (item: Record<string, unknown>): ScimToken =>
  orgCredentialFromItem(SCIM_TOKEN_KIND, item);

/** One page of an org's SCIM tokens, oldest first, from the org's credential index partition. */
export const queryScimTokens = (
  db: Database,
  orgId: string,
  limit: number,
  cursor: string | undefined,
): Promise<Page<ScimToken>> => queryOrgCredentials(SCIM_TOKEN_KIND, db, orgId, limit, cursor);
