import { API_KEY_KIND } from './api-keys/api-key-repository.js';
import type { Database } from './data/dynamo-client.js';
import { UnauthorizedError } from './errors.js';
import { verifyOrgCredential } from './org-credential-store.js';
import type { Org } from './orgs/org.js';
import { userKey } from './data/keys.js';
import { userFromItem } from './users/user-repository.js';
import type { User } from './users/user.js';
import { SCIM_TOKEN_KIND } from './scim/scim-token-repository.js';

// The authenticators of the org credentials (API keys, SCIM tokens), beside their store: the
// request pipeline (shared/http/authorize.ts) calls them with the presented secret.

/** A verified API key and the org it belongs to (consistent reads). */
export interface ApiKeyCaller {
  keyId: string;
  org: Org;
  /**
   * The principal audit events would name, `api_key:<keyId>`: no user acts behind a key. The
   * pipeline's audit context reads `userId` from every caller; the public API writes nothing.
   */
  userId: string;
  user: undefined;
}

/** A verified SCIM token and the org it belongs to (consistent reads). */
export interface ScimCaller {
  tokenId: string;
  org: Org;
  /** The principal, `scim:<tokenId>`: no user acts behind a token. Audit names the actor `scim` with the token id. */
  userId: string;
  user: undefined;
  /** The path's user (the operation's `targetParam`), their record as the token's read found it. */
  target?: { userId: string; user: User | undefined };
}

/** API-key authentication (see verifyOrgCredential): every failure is the same 401, revealing nothing. */
export async function authenticateApiKey(db: Database, presented: string | undefined): Promise<ApiKeyCaller> {
  const verified = await verifyOrgCredential(db, API_KEY_KIND, presented);
  if (!verified) throw new UnauthorizedError('invalid_api_key', 'A valid API key is required in the x-api-key header');
  const { keyId } = verified.credential;
  return { keyId, org: verified.org, userId: `api_key:${keyId}`, user: undefined };
}

/** SCIM-token authentication, the API-key pattern (see verifyOrgCredential): one 401 for every failure. */
export async function authenticateScimToken(
  db: Database,
  presented: string | undefined,
  targetUserId?: string,
): Promise<ScimCaller> {
  const extraKeys = targetUserId ? [userKey(targetUserId)] : [];
  const verified = await verifyOrgCredential(db, SCIM_TOKEN_KIND, presented, extraKeys);
  if (!verified) throw new UnauthorizedError('invalid_scim_token', 'A valid SCIM bearer token is required');
  const { tokenId } = verified.credential;
  const caller: ScimCaller = { tokenId, org: verified.org, userId: `scim:${tokenId}`, user: undefined };
  if (!targetUserId) return caller;
  const userItem = verified.extra[0];
  return { ...caller, target: { userId: targetUserId, user: userItem ? userFromItem(userItem) : undefined } };
}
