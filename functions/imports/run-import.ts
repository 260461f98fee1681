import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBStreamEvent } from 'aws-lambda';
import { config } from '../../shared/config.js';
import { database } from '../../shared/data/dynamo-client.js';
import { logger } from '../../shared/logger.js';
import { IMPORT_JOB_ENTITY } from '../../shared/imports/import-job.js';
import { runImport } from '../../shared/imports/run-import.js';

/**
 * Hand over to a fresh invocation this close to the timeout: the batches in hand (up to
 * BATCHES_IN_FLIGHT) finish first, each a few seconds of writes; nothing waits on Cognito.
 */
const SAFETY_MARGIN_MS = 30_000;

/**
 * The import worker, on the table stream: invoked (batch size 1) when an import item is
 * written with status `queued` (commit, or a worker handing over). A failure is thrown, so
 * the stream retries the record; the batches are idempotent, so a retry redoes nothing.
 */
export const handler = async (event: DynamoDBStreamEvent, context: Context): Promise<void> => {
  for (const record of event.Records) {
    const image = record.dynamodb?.NewImage;
    if (!image) continue;
    const item = unmarshall(image as Record<string, AttributeValue>);
    if (item.entity !== IMPORT_JOB_ENTITY || item.status !== 'queued') continue;
    const result = await runImport(
      { db: database(), appUrl: config().appUrl },
      item.orgId as string,
      item.importId as string,
      Number(item.runSeq),
      {
        shouldStop: () => context.getRemainingTimeInMillis() < SAFETY_MARGIN_MS,
        remainingMs: () => context.getRemainingTimeInMillis(),
      },
    );
    logger.info('import run ended', {
      orgId: item.orgId as string,
      importId: item.importId as string,
      runSeq: Number(item.runSeq),
      result,
    });
  }
};
