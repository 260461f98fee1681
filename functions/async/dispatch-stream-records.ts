import { SQSClient } from '@aws-sdk/client-sqs';
import { STREAM_READERS } from '../../shared/async/consumers.js';
import { dispatchStreamRecord } from '../../shared/async/dispatch.js';
import { recordHandler } from '../../shared/async/record-handler.js';
import { SqsWorkQueues } from '../../shared/async/sqs-work-queues.js';
import { logger } from '../../shared/logger.js';

const queues = new SqsWorkQueues(new SQSClient({}));

/**
 * The table stream's second reader: copies each import and export record to its worker's
 * queue, one SendMessage each, in order. A failed send is retried from that record on; a
 * retry may queue a record twice, which the workers take (an import run is leased by its
 * runSeq, an export job written once by its status).
 */
export const handler = recordHandler({
  filters: STREAM_READERS.dispatcher.filters,
  parse: (_image, record) => record,
  handle: async (record) => {
    const worker = await dispatchStreamRecord(queues, record);
    logger.debug('stream record dispatched', { worker, eventID: record.eventID });
  },
  onFailure: (record, error) =>
    logger.error('could not queue a stream record; the stream will retry', {
      eventID: record.eventID,
      error: error as Error,
    }),
});
