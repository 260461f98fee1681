import { httpHandler } from '../../shared/http/handler.js';
import { createScimTokenBody } from '../../shared/scim/schemas.js';
import { scimTokenView } from '../../shared/scim/scim-token.js';
import { createScimToken } from '../../shared/scim/scim-tokens.js';
import { orgPathParams } from '../../shared/schemas.js';

/** POST /v1/orgs/{orgId}/scim-tokens: 201 with the token's `secret`, shown this once only. */
export const handler = httpHandler(
  { auth: { kind: 'orgMember', permission: 'org:manage' }, params: orgPathParams, body: createScimTokenBody },
  async ({ params, body, db, audit }) => {
    const { token, secret } = await createScimToken(db, params.orgId, body, audit);
    // no-store: the one answer that carries the secret must not sit in any cache.
    return {
      status: 201,
      body: { ...scimTokenView(token), secret },
      headers: { location: `/v1/orgs/${params.orgId}/scim-tokens/${token.tokenId}`, 'cache-control': 'no-store' },
    };
  },
);
