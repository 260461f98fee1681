import { httpHandler } from '../../shared/http/handler.js';
import { orgPathParams } from '../../shared/schemas.js';
import { rotateWebhookSecret } from '../../shared/webhooks/configure-webhook.js';
import { webhookConfigView } from '../../shared/webhooks/webhook-config.js';

/** POST /v1/orgs/{orgId}/webhook-secret: a new signing secret, shown this once; the old one stops working. */
export const handler = httpHandler(
  { auth: { kind: 'orgMember', permission: 'org:manage' }, params: orgPathParams },
  async ({ params, db, audit }) => {
    const { config, secret } = await rotateWebhookSecret(db, params.orgId, audit);
    // no-store: the one answer that carries the secret must not sit in any cache.
    return {
      status: 200,
      body: { ...webhookConfigView(params.orgId, config), secret },
      headers: { 'cache-control': 'no-store' },
    };
  },
);
