import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Database } from '../data/dynamo-client.js';
import { webhookConfigKey } from '../data/keys.js';

export const WEBHOOK_CONFIG_ENTITY = 'webhookConfig';

/**
 * An org's IdP webhook settings. The signing secret is stored as issued: HMAC verification
 * needs the secret itself (the table is encrypted at rest, and only the webhook function and
 * the admin routes read this item). The Okta header value is compared for equality only, so
 * only its SHA-256 is kept.
 */
export interface WebhookConfig {
  orgId: string;
  signingSecret: string | null;
  secretRotatedAt: string | null;
  oktaAuthorizationHash: string | null;
  updatedAt: string;
}

export function webhookConfigFromItem(item: Record<string, unknown>): WebhookConfig {
  return {
    orgId: item.orgId as string,
    signingSecret: (item.signingSecret as string | undefined) ?? null,
    secretRotatedAt: (item.secretRotatedAt as string | undefined) ?? null,
    oktaAuthorizationHash: (item.oktaAuthorizationHash as string | undefined) ?? null,
    updatedAt: item.updatedAt as string,
  };
}

/** The org's webhook settings (strongly consistent: a just-rotated secret works at once). */
export async function getWebhookConfig(db: Database, orgId: string): Promise<WebhookConfig | undefined> {
  const { Item } = await db.client.send(
    new GetCommand({ TableName: db.tableName, Key: webhookConfigKey(orgId), ConsistentRead: true }),
  );
  return Item ? webhookConfigFromItem(Item) : undefined;
}

/** The settings as admins see them: whether each credential is set, never its value. */
export function webhookConfigView(orgId: string, config: WebhookConfig | undefined) {
  return {
    orgId,
    signingSecretConfigured: Boolean(config?.signingSecret),
    secretRotatedAt: config?.secretRotatedAt ?? null,
    oktaAuthorizationConfigured: Boolean(config?.oktaAuthorizationHash),
    updatedAt: config?.updatedAt ?? null,
  };
}
