import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent, SQSEvent } from 'aws-lambda';
import { matchesStreamFilter, type StreamRecordFilter } from './consumers.js';

/**
 * What a consumer is invoked with: table stream records (a stream reader), or SQS messages
 * whose bodies are the stream records the dispatcher copied (a queue worker).
 */
export type ConsumerEvent = DynamoDBStreamEvent | SQSEvent;

/** A record and the identifier Lambda wants back when it fails (stream sequence number, SQS message id). */
export interface ConsumerRecord {
  readonly id: string;
  readonly record: DynamoDBRecord;
}

const isSqsEvent = (event: ConsumerEvent): event is SQSEvent => event.Records[0]?.eventSource === 'aws:sqs';

/** The stream records of either event, in order. */
export function consumerRecords(event: ConsumerEvent): ConsumerRecord[] {
  if (isSqsEvent(event))
    return event.Records.map((message) => ({
      id: message.messageId,
      record: JSON.parse(message.body) as DynamoDBRecord,
    }));
  return (event as DynamoDBStreamEvent).Records.map((record) => ({
    id: record.dynamodb?.SequenceNumber ?? '',
    record,
  }));
}

export interface RecordHandlerOptions<Item> {
  /** The consumer's filters (its table entry's `filters`, or `[route]`): other records are skipped. */
  readonly filters: readonly StreamRecordFilter[];
  /** Turns the new image (or the record itself) into what `handle` takes. */
  readonly parse: (image: Record<string, unknown>, record: DynamoDBRecord) => Item;
  /** Handles one record; a throw makes it (and every later record of the batch) retry. */
  readonly handle: (item: Item, context: Context) => Promise<void>;
  /** Told of a failure before the record is retried (log it with the item's ids). */
  readonly onFailure: (item: Item, error: unknown) => void;
}

/**
 * The one loop every stream and queue consumer runs: skip what its filters do not match,
 * handle the rest in order, and at the first failure report that record and every later one
 * (ReportBatchItemFailures). A stream resumes its shard from the first, in order; a queue
 * makes exactly those messages visible again. Nothing after a failure runs, so no record is
 * handled twice by one invocation's retry.
 */
export function recordHandler<Item>(
  options: RecordHandlerOptions<Item>,
): (event: ConsumerEvent, context: Context) => Promise<DynamoDBBatchResponse> {
  return async (event, context) => {
    const records = consumerRecords(event);
    for (const [index, { record }] of records.entries()) {
      if (!options.filters.some((filter) => matchesStreamFilter(filter, record))) continue;
      const item = options.parse(unmarshall(record.dynamodb?.NewImage as Record<string, AttributeValue>), record);
      try {
        await options.handle(item, context);
      } catch (error) {
        options.onFailure(item, error);
        return { batchItemFailures: records.slice(index).map(({ id }) => ({ itemIdentifier: id })) };
      }
    }
    return { batchItemFailures: [] };
  };
}
