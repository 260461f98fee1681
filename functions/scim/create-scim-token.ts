import { operationHandler } from '../../shared/http/handler.js';
import { scimTokenView } from '../../shared/scim/scim-token.js';
import * as operations from '../../shared/scim/operations.js';
import { createScimToken } from '../../shared/scim/scim-tokens.js';

/** POST /v1/orgs/{orgId}/scim-tokens: 201 with the token's `secret`, shown this once only. */
export const handler = operationHandler(operations.createScimToken, async ({ params, body, audit, deps }) => {
  const { token, secret } = await createScimToken(deps.db, params.orgId, body, audit);
  // no-store: the one answer that carries the secret must not sit in any cache.
  return {
    status: 201,
    body: { ...scimTokenView(token), secret },
    headers: { location: `/v1/orgs/${params.orgId}/scim-tokens/${token.tokenId}`, 'cache-control': 'no-store' },
  };
});
