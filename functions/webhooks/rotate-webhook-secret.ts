import { operationHandler } from '../../shared/http/handler.js';
import { webhookConfigView } from '../../shared/webhooks/webhook-config.js';
import * as operations from '../../shared/webhooks/operations.js';
import { rotateWebhookSecret } from '../../shared/webhooks/configure-webhook.js';
import { dataKeys } from '../../shared/secrets/data-keys.js';

/** POST /v1/orgs/{orgId}/webhook-secret: a new signing secret, shown this once; the old one stops working. */
export const handler = operationHandler(
  operations.rotateWebhookSecret,
  { secrets: dataKeys },
  async ({ params, audit, deps }) => {
    const { config, secret } = await rotateWebhookSecret(deps, params.orgId, audit);
    // no-store: the one answer that carries the secret must not sit in any cache.
    return {
      status: 200,
      body: { ...webhookConfigView(params.orgId, config), secret },
      headers: { 'cache-control': 'no-store' },
    };
  },
);
