import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { config } from '../config.js';
import { EXPORT_ENV } from './export-env.js';
import { LocalObjectStore } from './local-object-store.js';
import type { ObjectStore } from './object-store.js';
import { S3ObjectStore } from './s3-object-store.js';

/**
 * The local store, configured from the environment at each call, so the local server and the
 * handlers it runs (one process) agree on folder, origin and key even when a test sets them late.
 */
export function localExportStore(env: NodeJS.ProcessEnv = process.env): LocalObjectStore {
  // Generated once and kept in the environment: every module instance in the process signs alike.
  const secret = (env[EXPORT_ENV.urlSecret] ||= randomBytes(32).toString('hex'));
  return new LocalObjectStore({
    dir: resolve(env[EXPORT_ENV.localDir] || '.local/exports'),
    secret,
    baseUrl: env[EXPORT_ENV.localBaseUrl] || `http://localhost:${env.PORT || 3000}`,
  });
}

let s3Store: ObjectStore | undefined;

/** The export store this function runs with: the bucket in AWS, local files in local mode. */
export function exportStore(): ObjectStore {
  const bucket = process.env[EXPORT_ENV.bucket];
  if (bucket) return (s3Store ??= new S3ObjectStore(new S3Client({}), bucket));
  if (config().identityMode === 'local') return localExportStore();
  throw new Error(`Missing environment variable ${EXPORT_ENV.bucket}`);
}
