import { httpHandler } from '../../shared/http/handler.js';
import { listScimTokensQuery } from '../../shared/scim/schemas.js';
import { listScimTokens } from '../../shared/scim/scim-tokens.js';
import { orgPathParams } from '../../shared/schemas.js';

/** GET /v1/orgs/{orgId}/scim-tokens: one page of the org's SCIM tokens, never their secrets. */
export const handler = httpHandler(
  { auth: { kind: 'orgMember', permission: 'org:manage' }, params: orgPathParams, query: listScimTokensQuery },
  async ({ params, query, db }) => ({ status: 200, body: await listScimTokens(db, params.orgId, query) }),
);
