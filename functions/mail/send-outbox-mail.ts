import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { config } from '../../shared/config.js';
import { database } from '../../shared/data/dynamo-client.js';
import { logger } from '../../shared/logger.js';
import { deliverOutboxMail, isOutboxItem } from '../../shared/mail/deliver-outbox.js';
import { SesMailSender } from '../../shared/mail/ses-mail-sender.js';

const { sesEndpoint, mailFrom } = config();
const sender = new SesMailSender(
  new SESv2Client(
    sesEndpoint
      ? { endpoint: sesEndpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {},
  ),
  mailFrom,
);

/**
 * The table stream's mailer: each newly inserted outbox item becomes one mail. Failed records
 * are reported individually so only they are retried (and, past the retries, dead-lettered).
 */
export const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const batchItemFailures: DynamoDBBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    if (record.eventName !== 'INSERT' || !record.dynamodb?.NewImage) continue;
    const item = unmarshall(record.dynamodb.NewImage as Record<string, AttributeValue>);
    if (!isOutboxItem(item)) continue;
    try {
      await deliverOutboxMail(
        {
          db: database(),
          sender,
          onRecordFailure: (error) =>
            logger.error('could not record the delivery state on the invitation', {
              messageId: item.messageId,
              error: error as Error,
            }),
        },
        item,
      );
    } catch (error) {
      logger.error('mail delivery failed; the stream will retry', { messageId: item.messageId, error: error as Error });
      // Lambda resumes the shard from the first failure; later records wait for it, in order.
      batchItemFailures.push({ itemIdentifier: record.dynamodb.SequenceNumber ?? '' });
      break;
    }
  }
  return { batchItemFailures };
};
