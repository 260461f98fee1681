import { openSecret, sealSecret, type DataKeyPort } from '../secrets/sealed-secret.js';
import { SECRET_PURPOSES } from '../secrets/secrets-env.js';

export const WEBHOOK_CONFIG_ENTITY = 'webhookConfig';

/**
 * An org's IdP webhook settings. HMAC verification needs the signing secret itself, so it is
 * kept sealed (envelope encryption under the KMS secrets key, bound to the org): the table,
 * its stream and backups hold only ciphertext, and only the functions granted the key open it.
 * Items written before secrets were sealed hold it in plain (`signingSecret`): they still
 * verify, and the next rotation seals. The Okta header value is compared for equality only,
 * so only its SHA-256 is kept.
 */
export interface WebhookConfig {
  orgId: string;
  signingSecret: StoredSigningSecret | null;
  secretRotatedAt: string | null;
  oktaAuthorizationHash: string | null;
  updatedAt: string;
}

export type StoredSigningSecret = { sealed: string } | { plain: string };

/** The encryption context of an org's signing secret: a sealed secret copied to another org does not open. */
const signingSecretContext = (orgId: string) => ({ purpose: SECRET_PURPOSES.webhookSigningSecret, orgId });

export async function sealSigningSecret(keys: DataKeyPort, orgId: string, secret: string): Promise<string> {
  return sealSecret(keys, secret, signingSecretContext(orgId));
}

/** The secret deliveries are verified with; undefined when none was ever issued. */
export async function openSigningSecret(
  keys: DataKeyPort,
  orgId: string,
  stored: StoredSigningSecret | null,
): Promise<string | undefined> {
  if (!stored) return undefined;
  if ('plain' in stored) return stored.plain;
  return openSecret(keys, stored.sealed, signingSecretContext(orgId));
}

export function webhookConfigFromItem(item: Record<string, unknown>): WebhookConfig {
  return {
    orgId: item.orgId as string,
    signingSecret:
      typeof item.signingSecretSealed === 'string'
        ? { sealed: item.signingSecretSealed }
        : typeof item.signingSecret === 'string'
          ? { plain: item.signingSecret }
          : null,
    secretRotatedAt: (item.secretRotatedAt as string | undefined) ?? null,
    oktaAuthorizationHash: (item.oktaAuthorizationHash as string | undefined) ?? null,
    updatedAt: item.updatedAt as string,
  };
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
