import type { DynamoDBRecord } from 'aws-lambda';
import { MEMBER_EXPORT_ENTITY } from '../shared/exports/member-export.js';
import { IMPORT_JOB_ENTITY } from '../shared/imports/import-job.js';
import { OUTBOX_ENTITY } from '../shared/mail/outbox.js';
import type { StreamSubscription } from './table-stream.js';

/** The export writer's and import worker's timeout in the CDK app. */
const FIFTEEN_MINUTES = 15 * 60_000;

/**
 * The table stream's consumers, mirroring the event source mappings the CDK app creates
 * (infra/constructs/mailer.ts, member-export-writer.ts, import-worker.ts): handler, filter
 * criteria, batch size, the function's timeout. Each is polled on its own, as in AWS.
 */
export const STREAM_SUBSCRIPTIONS: readonly StreamSubscription[] = [
  {
    handler: 'mail/send-outbox-mail',
    filter: (record: DynamoDBRecord) =>
      record.eventName === 'INSERT' && record.dynamodb?.NewImage?.entity?.S === OUTBOX_ENTITY,
    batchSize: 10,
    timeoutMs: 30_000,
  },
  {
    handler: 'exports/write-member-export',
    filter: (record: DynamoDBRecord) =>
      record.eventName === 'INSERT' && record.dynamodb?.NewImage?.entity?.S === MEMBER_EXPORT_ENTITY,
    batchSize: 1,
    timeoutMs: FIFTEEN_MINUTES,
  },
  {
    // infra/constructs/import-worker.ts: an import item modified into `queued` (commit, or a worker handing over).
    handler: 'imports/run-import',
    filter: (record: DynamoDBRecord) =>
      record.eventName === 'MODIFY' &&
      record.dynamodb?.NewImage?.entity?.S === IMPORT_JOB_ENTITY &&
      record.dynamodb?.NewImage?.status?.S === 'queued',
    batchSize: 1,
    timeoutMs: FIFTEEN_MINUTES,
  },
];
