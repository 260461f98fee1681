import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { database } from '../../shared/data/dynamo-client.js';
import { exportStore } from '../../shared/exports/export-store.js';
import { isMemberExportItem } from '../../shared/exports/member-export.js';
import { writeMemberExport } from '../../shared/exports/write-member-export.js';
import { logger } from '../../shared/logger.js';

/**
 * The table stream's export writer: each newly inserted export job is written to the object
 * store. A job that fails is marked failed (not retried); only an error recording the outcome
 * (the table unreachable) reports the record for a retry, and past the retries the DLQ.
 */
export const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const batchItemFailures: DynamoDBBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    if (record.eventName !== 'INSERT' || !record.dynamodb?.NewImage) continue;
    const item = unmarshall(record.dynamodb.NewImage as Record<string, AttributeValue>);
    if (!isMemberExportItem(item)) continue;
    const job = { orgId: item.orgId as string, exportId: item.exportId as string };
    try {
      const outcome = await writeMemberExport(
        {
          db: database(),
          store: exportStore(),
          onError: (error) => logger.error('member export failed', { ...job, error: error as Error }),
        },
        job,
      );
      logger.info('member export', { ...job, outcome });
    } catch (error) {
      logger.error('member export could not record its outcome; the stream will retry', {
        ...job,
        error: error as Error,
      });
      batchItemFailures.push({ itemIdentifier: record.dynamodb.SequenceNumber ?? '' });
      break;
    }
  }
  return { batchItemFailures };
};
