import { KMSClient } from '@aws-sdk/client-kms';
import { config } from '../config.js';
import { KmsDataKeys } from './kms-data-keys.js';
import { LocalDataKeys } from './local-data-keys.js';
import type { DataKeyPort } from './sealed-secret.js';
import { SECRETS_ENV } from './secrets-env.js';

let shared: DataKeyPort | undefined;

/** The configured data-key adapter, built once per process: KMS in AWS, the local key in local mode. */
export function dataKeys(): DataKeyPort {
  if (shared) return shared;
  const keyArn = process.env[SECRETS_ENV.keyArn];
  if (keyArn) shared = new KmsDataKeys(new KMSClient({}), keyArn);
  else if (config().identityMode === 'local') shared = new LocalDataKeys(process.env[SECRETS_ENV.localKey]);
  else throw new Error(`Missing environment variable ${SECRETS_ENV.keyArn}`);
  return shared;
}
