import { listApiKeys } from '../../shared/api-keys/list-api-keys.js';
import { listApiKeysQuery } from '../../shared/api-keys/schemas.js';
import { httpHandler } from '../../shared/http/handler.js';
import { orgPathParams } from '../../shared/schemas.js';

/** GET /v1/orgs/{orgId}/api-keys: one page of the org's keys, never their secrets. */
export const handler = httpHandler(
  { auth: { kind: 'orgMember', permission: 'org:manage' }, params: orgPathParams, query: listApiKeysQuery },
  async ({ params, query, db }) => ({ status: 200, body: await listApiKeys(db, params.orgId, query) }),
);
