import type { DynamoDBRecord } from 'aws-lambda';
import { MEMBER_EXPORT_ENTITY } from '../shared/exports/member-export.js';
import { IMPORT_JOB_ENTITY } from '../shared/imports/import-job.js';
import { OUTBOX_ENTITY } from '../shared/mail/outbox.js';
import type { StreamSubscription } from './table-stream.js';

/**
 * The table stream's consumers, mirroring the event source mappings the CDK app creates
 * (infra/constructs/mailer.ts, infra/constructs/member-export-writer.ts): handler, filter criteria,
 * batch size.
 */
export const STREAM_SUBSCRIPTIONS: readonly StreamSubscription[] = [
  {
    handler: 'mail/send-outbox-mail',
    filter: (record: DynamoDBRecord) => record.eventName === 'INSERT' && record.dynamodb?.NewImage?.entity?.S === OUTBOX_ENTITY,
    batchSize: 10,
  },
  {
    handler: 'exports/write-member-export',
    filter: (record: DynamoDBRecord) => record.eventName === 'INSERT' && record.dynamodb?.NewImage?.entity?.S === MEMBER_EXPORT_ENTITY,
    batchSize: 1,
  },
  {
    // infra/constructs/import-worker.ts: an import item modified into `queued` (commit, or a worker handing over).
    handler: 'imports/run-import',
    filter: (record: DynamoDBRecord) =>
      record.eventName === 'MODIFY' && record.dynamodb?.NewImage?.entity?.S === IMPORT_JOB_ENTITY && record.dynamodb?.NewImage?.status?.S === 'queued',
    batchSize: 1,
  },
];
