import { operationHandler } from '../../shared/http/handler.js';
import { apiKeyView } from '../../shared/api-keys/api-key.js';
import * as operations from '../../shared/api-keys/operations.js';
import { createApiKey } from '../../shared/api-keys/create-api-key.js';

/** POST /v1/orgs/{orgId}/api-keys: 201 with the key's `secret`, shown this once only. */
export const handler = operationHandler(operations.createApiKey, async ({ params, body, audit, deps }) => {
  const { key, secret } = await createApiKey(deps.db, params.orgId, body, audit);
  // no-store: the one answer that carries the secret must not sit in any cache.
  return {
    status: 201,
    body: { ...apiKeyView(key), secret },
    headers: { location: `/v1/orgs/${params.orgId}/api-keys/${key.keyId}`, 'cache-control': 'no-store' },
  };
});
