import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { matchesStreamFilter, STREAM_READERS, type StreamReader } from '../shared/async/consumers.js';
import { dispatchStreamRecord } from '../shared/async/dispatch.js';
import { recordHandler } from '../shared/async/record-handler.js';
import { localDynamoClient } from './ensure-table.js';
import type { LambdaHandler } from './handler-loader.js';
import { lambdaContext } from './lambda-context.js';
import { startLocalWorkQueues } from './work-queues.js';

/** One reader of the table stream (an event source mapping in AWS), and the handler it invokes. */
interface StreamSubscription {
  readonly reader: StreamReader;
  readonly handler: () => Promise<LambdaHandler>;
}

export interface TableStreamOptions {
  endpoint: string;
  tableName: string;
  loadHandler: (name: string) => Promise<LambdaHandler>;
  /** Pause between polls (default 300 ms). */
  intervalMs?: number;
  /** Retries of a failed record before it is dropped, as past an event source's retryAttempts (default 3). */
  retryAttempts?: number;
  logError?: (message: string, error?: unknown) => void;
}

export interface TableStream {
  stop(): Promise<void>;
}

interface StreamRecord extends DynamoDBRecord {
  dynamodb: NonNullable<DynamoDBRecord['dynamodb']> & { SequenceNumber: string };
}

/**
 * Calls DynamoDB Streams on DynamoDB Local with the plain JSON protocol: its records come back
 * in exactly the attribute-value JSON a Lambda stream event carries, with nothing to convert.
 * DynamoDB Local reads no signature, only that an AWS Authorization header is present.
 */
async function streamsCall<T>(endpoint: string, operation: string, body: Record<string, unknown>): Promise<T> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `DynamoDBStreams_20120810.${operation}`,
      authorization:
        'AWS4-HMAC-SHA256 Credential=local/20200101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=local',
    },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as T & { message?: string };
  if (!response.ok)
    throw new Error(
      `DynamoDB Streams ${operation} failed (${response.status}): ${json.message ?? JSON.stringify(json)}`,
    );
  return json;
}

/**
 * Feeds the table's stream to its readers (shared/async/consumers.ts) the way Lambda event
 * source mappings do: batches, filters, ReportBatchItemFailures with retries from the failed
 * record on. The mailer's handler module is invoked as in AWS; the dispatcher runs the same
 * routing and record loop its Lambda runs, into in-process queues (local/work-queues.ts)
 * whose workers are the same handler modules. Starts at the oldest record still in the
 * stream, so mail queued while the stack was down still goes out (the mailer skips outbox
 * items it already delivered).
 */
export async function startTableStream(options: TableStreamOptions): Promise<TableStream> {
  const client = localDynamoClient(options.endpoint);
  const { Table } = await client.send(new DescribeTableCommand({ TableName: options.tableName }));
  client.destroy();
  const streamArn = Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`Table ${options.tableName} has no stream`);

  const logError = options.logError ?? ((message: string, error?: unknown) => console.error(message, error ?? ''));
  const retryAttempts = options.retryAttempts ?? 3;
  const workQueues = startLocalWorkQueues({ loadHandler: options.loadHandler, logError });
  const dispatcher: LambdaHandler = recordHandler({
    filters: STREAM_READERS.dispatcher.filters,
    parse: (_image, record) => record,
    handle: async (record) => {
      await dispatchStreamRecord(workQueues, record);
    },
    onFailure: (_record, error) => logError('[stream] dispatcher failed', error),
  });
  const subscriptions: StreamSubscription[] = [
    { reader: STREAM_READERS.mailer, handler: () => options.loadHandler(STREAM_READERS.mailer.handler) },
    { reader: STREAM_READERS.dispatcher, handler: () => Promise.resolve(dispatcher) },
  ];

  const invoke = async (subscription: StreamSubscription, batch: StreamRecord[]) => {
    let pending = batch;
    for (let attempt = 0; pending.length > 0; attempt++) {
      const event: DynamoDBStreamEvent = { Records: pending.map((r) => ({ ...r, eventSourceARN: streamArn })) };
      let failedFrom: string | undefined;
      try {
        const handler = await subscription.handler();
        const { reader } = subscription;
        const result = (await handler(event, lambdaContext(reader.handler, reader.timeoutSeconds * 1000))) as
          { batchItemFailures?: { itemIdentifier: string }[] } | undefined;
        failedFrom = result?.batchItemFailures?.[0]?.itemIdentifier;
      } catch (error) {
        logError(`[stream] ${subscription.reader.handler} failed`, error);
        failedFrom = pending[0]?.dynamodb.SequenceNumber;
      }
      if (failedFrom === undefined) return;
      const at = pending.findIndex((r) => r.dynamodb.SequenceNumber === failedFrom);
      pending = at === -1 ? pending : pending.slice(at);
      if (attempt >= retryAttempts) {
        logError(
          `[stream] ${subscription.reader.handler}: ${pending.length} record(s) dropped after ${retryAttempts} retries (in AWS: the dead-letter queue)`,
        );
        return;
      }
      await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
    }
  };

  let stopped = false;

  /**
   * One event source mapping: its own shard iterators and position, so a long invocation (an
   * import) never holds back another consumer's records (mail), as in AWS.
   */
  const poll = async (subscription: StreamSubscription) => {
    const iterators = new Map<string, string>();
    /** Last record handed on per shard, to resume after an iterator expires (a laptop asleep). */
    const lastSequence = new Map<string, string>();
    const closedShards = new Set<string>();

    const discoverShards = async () => {
      let exclusiveStart: string | undefined;
      do {
        const { StreamDescription } = await streamsCall<{
          StreamDescription: { Shards: { ShardId: string }[]; LastEvaluatedShardId?: string };
        }>(options.endpoint, 'DescribeStream', {
          StreamArn: streamArn,
          ...(exclusiveStart ? { ExclusiveStartShardId: exclusiveStart } : {}),
        });
        for (const { ShardId } of StreamDescription.Shards) {
          if (iterators.has(ShardId) || closedShards.has(ShardId)) continue;
          const after = lastSequence.get(ShardId);
          const position = after
            ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }
            : { ShardIteratorType: 'TRIM_HORIZON' };
          const { ShardIterator } = await streamsCall<{ ShardIterator: string }>(options.endpoint, 'GetShardIterator', {
            StreamArn: streamArn,
            ShardId,
            ...position,
          });
          iterators.set(ShardId, ShardIterator);
        }
        exclusiveStart = StreamDescription.LastEvaluatedShardId;
      } while (exclusiveStart);
    };

    const deliver = async (records: StreamRecord[]) => {
      const { filters, batchSize: size } = subscription.reader;
      const matching = records.filter((record) => filters.some((filter) => matchesStreamFilter(filter, record)));
      for (let i = 0; i < matching.length; i += size) await invoke(subscription, matching.slice(i, i + size));
    };

    const pollOnce = async () => {
      await discoverShards();
      for (const [shardId, iterator] of iterators) {
        let page: { Records: StreamRecord[]; NextShardIterator?: string | null };
        try {
          page = await streamsCall(options.endpoint, 'GetRecords', { ShardIterator: iterator, Limit: 1000 });
        } catch (error) {
          // Expired or stale: the next discovery resumes the shard after the last record seen.
          iterators.delete(shardId);
          throw error;
        }
        const { Records, NextShardIterator } = page;
        const last = Records.at(-1);
        if (last) {
          await deliver(Records);
          lastSequence.set(shardId, last.dynamodb.SequenceNumber);
        }
        if (NextShardIterator) iterators.set(shardId, NextShardIterator);
        else {
          iterators.delete(shardId);
          closedShards.add(shardId);
        }
      }
    };

    while (!stopped) {
      try {
        await pollOnce();
      } catch (error) {
        if (!stopped) logError(`[stream] ${subscription.reader.handler}: polling failed; retrying`, error);
      }
      await new Promise((r) => setTimeout(r, options.intervalMs ?? 300));
    }
  };

  const loops = subscriptions.map(poll);

  return {
    stop: async () => {
      stopped = true;
      await Promise.all(loops);
      await workQueues.stop();
    },
  };
}
