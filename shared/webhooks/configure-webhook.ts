import { auditStep, type AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { transactWrite } from '../data/transactions.js';
import { newSecret, sha256 } from '../ids.js';
import type { DataKeyPort } from '../secrets/sealed-secret.js';
import { sealSigningSecret, type WebhookConfig } from './webhook-config.js';
import { getWebhookConfig, oktaAuthorizationStep, signingSecretStep } from './webhook-config-repository.js';
import type { UpdateWebhookConfigInput } from './schemas.js';

/** Prefix of issued signing secrets, so a leaked one is recognisable in logs and scanners. */
export const SIGNING_SECRET_PREFIX = 'whsec_';

/**
 * Issues a new signing secret for the org's IdP webhook, replacing the old one at once; the
 * secret is returned this once and stored sealed (a plain one from before is removed). Config
 * item and audit event are one transaction.
 */
export async function rotateWebhookSecret(
  deps: { db: Database; secrets: DataKeyPort },
  orgId: string,
  audit: AuditContext,
): Promise<{ config: WebhookConfig; secret: string }> {
  const { db } = deps;
  const secret = `${SIGNING_SECRET_PREFIX}${newSecret()}`;
  const now = audit.now.toISOString();
  const [previous, sealed] = await Promise.all([
    getWebhookConfig(db, orgId),
    sealSigningSecret(deps.secrets, orgId, secret),
  ]);
  await transactWrite(db, [
    signingSecretStep(db, orgId, sealed, now),
    auditStep(
      db,
      {
        orgId,
        action: 'webhook.secret_rotated',
        target: { type: 'webhook_config', id: orgId },
        before: { signingSecretConfigured: Boolean(previous?.signingSecret) },
        after: { signingSecretConfigured: true },
      },
      audit,
    ),
  ]);
  const config: WebhookConfig = {
    orgId,
    signingSecret: { sealed },
    secretRotatedAt: now,
    oktaAuthorizationHash: previous?.oktaAuthorizationHash ?? null,
    updatedAt: now,
  };
  return { config, secret };
}

/**
 * Sets (a string) or clears (null) the Authorization header value Okta Event Hooks must send.
 * Only its hash is stored; the audit event records that it changed, never the value.
 */
export async function updateWebhookConfig(
  db: Database,
  orgId: string,
  input: UpdateWebhookConfigInput,
  audit: AuditContext,
): Promise<WebhookConfig | undefined> {
  const previous = await getWebhookConfig(db, orgId);
  if (input.oktaAuthorizationHeader === undefined) return previous;
  const now = audit.now.toISOString();
  const hash = input.oktaAuthorizationHeader === null ? null : sha256(input.oktaAuthorizationHeader);
  await transactWrite(db, [
    oktaAuthorizationStep(db, orgId, hash, now),
    auditStep(
      db,
      {
        orgId,
        action: 'webhook.config_updated',
        target: { type: 'webhook_config', id: orgId },
        before: { oktaAuthorizationConfigured: Boolean(previous?.oktaAuthorizationHash) },
        after: { oktaAuthorizationConfigured: hash !== null },
      },
      audit,
    ),
  ]);
  return {
    orgId,
    signingSecret: previous?.signingSecret ?? null,
    secretRotatedAt: previous?.secretRotatedAt ?? null,
    oktaAuthorizationHash: hash,
    updatedAt: now,
  };
}
