import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/webhooks/operations.js';
import { updateWebhookConfig } from '../../shared/webhooks/configure-webhook.js';
import { webhookConfigView } from '../../shared/webhooks/webhook-config.js';

/** PUT /v1/orgs/{orgId}/webhook-config: sets or clears the Okta Event Hook Authorization value. */
export const handler = operationHandler(operations.updateWebhookConfig, async ({ params, body, audit, deps }) => {
  const config = await updateWebhookConfig(deps.db, params.orgId, body, audit);
  return { status: 200, body: webhookConfigView(params.orgId, config) };
});
