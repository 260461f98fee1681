import { RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { SECRETS_ENV, type SecretGrant } from '../../shared/secrets/secrets-env.js';
import type { ApiFunction } from './api-function.js';

/**
 * The KMS key that seals secrets Roster must keep readable by envelope encryption (webhook
 * signing secrets: HMAC needs the secret itself; mail links: the mailer must send them): yearly
 * automatic rotation, retained (what it sealed would be lost with it). A function is granted one
 * action on it — GenerateDataKey to seal, Decrypt to open — and only under the encryption
 * context of its purpose.
 */
export class SecretsKey extends Construct {
  readonly key: Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      description: 'Roster: envelope key of secrets stored in the table (webhook signing secrets, mail links)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  attach(fn: ApiFunction, grant: SecretGrant): void {
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [grant.access === 'seal' ? 'kms:GenerateDataKey' : 'kms:Decrypt'],
        resources: [this.key.keyArn],
        conditions: { StringEquals: { 'kms:EncryptionContext:purpose': grant.purpose } },
      }),
    );
    fn.function.addEnvironment(SECRETS_ENV.keyArn, this.key.keyArn);
  }
}
