import type { DynamoDBRecord } from 'aws-lambda';
import { OUTBOX_ENTITY } from '../shared/mail/outbox.js';
import type { StreamSubscription } from './table-stream.js';

/**
 * The table stream's consumers, mirroring the event source mappings the CDK app creates
 * (infra/constructs/mailer.ts): handler, filter criteria, batch size.
 */
export const STREAM_SUBSCRIPTIONS: readonly StreamSubscription[] = [
  {
    handler: 'mail/send-outbox-mail',
    filter: (record: DynamoDBRecord) => record.eventName === 'INSERT' && record.dynamodb?.NewImage?.entity?.S === OUTBOX_ENTITY,
    batchSize: 10,
  },
];
