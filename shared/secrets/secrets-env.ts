/** The environment naming the KMS key that seals secrets at rest (set by CDK on the functions granted it), and the local key. */
export const SECRETS_ENV = { keyArn: 'SECRETS_KEY_ARN', localKey: 'LOCAL_SECRETS_KEY' } as const;

/** What a sealed secret is for: its encryption context's `purpose`, which the IAM conditions name. */
export const SECRET_PURPOSES = { webhookSigningSecret: 'webhook-signing-secret', mailLink: 'mail-link' } as const;

export type SecretPurpose = (typeof SECRET_PURPOSES)[keyof typeof SECRET_PURPOSES];

/** One action on the secrets key, under one purpose: `seal` is kms:GenerateDataKey, `open` kms:Decrypt. */
export interface SecretGrant {
  readonly access: 'seal' | 'open';
  readonly purpose: SecretPurpose;
}

/** What every operation that mails a link (invitation, password, email confirmation) needs: mail-link.ts seals it. */
export const SEAL_MAIL_LINKS = { access: 'seal', purpose: SECRET_PURPOSES.mailLink } as const satisfies SecretGrant;
