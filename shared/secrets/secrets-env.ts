/** The environment naming the KMS key that seals secrets at rest (set by CDK on the functions granted it), and the local key. */
export const SECRETS_ENV = { keyArn: 'SECRETS_KEY_ARN', localKey: 'LOCAL_SECRETS_KEY' } as const;

/** What a sealed secret is for: its encryption context's `purpose`, which the IAM conditions name. */
export const SECRET_PURPOSES = { webhookSigningSecret: 'webhook-signing-secret', mailLink: 'mail-link' } as const;

export type SecretPurpose = (typeof SECRET_PURPOSES)[keyof typeof SECRET_PURPOSES];
