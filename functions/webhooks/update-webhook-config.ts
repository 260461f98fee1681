import { httpHandler } from '../../shared/http/handler.js';
import { orgPathParams } from '../../shared/schemas.js';
import { updateWebhookConfig } from '../../shared/webhooks/configure-webhook.js';
import { updateWebhookConfigBody } from '../../shared/webhooks/schemas.js';
import { webhookConfigView } from '../../shared/webhooks/webhook-config.js';

/** PUT /v1/orgs/{orgId}/webhook-config: sets or clears the Okta Event Hook Authorization value. */
export const handler = httpHandler(
  { auth: { kind: 'orgMember', permission: 'org:manage' }, params: orgPathParams, body: updateWebhookConfigBody },
  async ({ params, body, db, audit }) => {
    const config = await updateWebhookConfig(db, params.orgId, body, audit);
    return { status: 200, body: webhookConfigView(params.orgId, config) };
  },
);
