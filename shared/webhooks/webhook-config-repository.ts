import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Database } from '../data/dynamo-client.js';
import { webhookConfigKey } from '../data/keys.js';
import { update, type TransactionStep } from '../data/transactions.js';
import { WEBHOOK_CONFIG_ENTITY, webhookConfigFromItem, type WebhookConfig } from './webhook-config.js';

/** The org's webhook settings (strongly consistent: a just-rotated secret works at once). */
export async function getWebhookConfig(db: Database, orgId: string): Promise<WebhookConfig | undefined> {
  const { Item } = await db.client.send(
    new GetCommand({ TableName: db.tableName, Key: webhookConfigKey(orgId), ConsistentRead: true }),
  );
  return Item ? webhookConfigFromItem(Item) : undefined;
}

/** Stores a new signing secret, sealed, and drops any secret stored in plain before secrets were sealed. */
export function signingSecretStep(db: Database, orgId: string, sealed: string, now: string): TransactionStep {
  return update(db, {
    key: webhookConfigKey(orgId),
    updateExpression:
      'SET entity = :entity, orgId = :orgId, signingSecretSealed = :sealed, secretRotatedAt = :now, updatedAt = :now REMOVE signingSecret',
    values: { ':entity': WEBHOOK_CONFIG_ENTITY, ':orgId': orgId, ':sealed': sealed, ':now': now },
  });
}

/** Sets or clears (null) the hash of the Authorization header Okta Event Hooks send. */
export function oktaAuthorizationStep(db: Database, orgId: string, hash: string | null, now: string): TransactionStep {
  return update(db, {
    key: webhookConfigKey(orgId),
    updateExpression: 'SET entity = :entity, orgId = :orgId, oktaAuthorizationHash = :hash, updatedAt = :now',
    values: { ':entity': WEBHOOK_CONFIG_ENTITY, ':orgId': orgId, ':hash': hash, ':now': now },
  });
}
