import { randomUUID } from 'node:crypto';
import type { DynamoDBRecord, SQSEvent, SQSRecord } from 'aws-lambda';
import { QUEUE_WORKERS, type QueueWorkerName } from '../shared/async/consumers.js';
import type { WorkQueues } from '../shared/async/dispatch.js';
import type { LambdaHandler } from './handler-loader.js';
import { lambdaContext } from './lambda-context.js';

interface Message {
  readonly messageId: string;
  readonly body: string;
  receiveCount: number;
  /** Not handed out before this (the visibility timeout after a failure, shortened locally). */
  visibleAt: number;
}

export interface LocalWorkQueues extends WorkQueues {
  stop(): Promise<void>;
}

/**
 * The workers' SQS queues in process, as shared/async/consumers.ts declares them: each worker
 * polls its own queue, takes up to its batch size, runs up to its maximum concurrency, and a
 * message failing maxReceiveCount times is dropped (in AWS: the worker's dead-letter queue).
 * A failed message comes back after a short pause rather than the visibility timeout.
 */
export function startLocalWorkQueues(options: {
  loadHandler: (name: string) => Promise<LambdaHandler>;
  /** Pause between polls (default 100 ms). */
  intervalMs?: number;
  logError?: (message: string, error?: unknown) => void;
}): LocalWorkQueues {
  const logError = options.logError ?? ((message: string, error?: unknown) => console.error(message, error ?? ''));
  const queues = new Map<QueueWorkerName, Message[]>();
  const running = new Set<Promise<void>>();
  let stopped = false;

  const invoke = async (name: QueueWorkerName, batch: Message[]) => {
    const worker = QUEUE_WORKERS[name];
    const event: SQSEvent = { Records: batch.map((m) => sqsRecord(name, m)) };
    let failed: Set<string>;
    try {
      const handler = await options.loadHandler(worker.handler);
      const result = (await handler(event, lambdaContext(worker.handler, worker.timeoutSeconds * 1000))) as
        { batchItemFailures?: { itemIdentifier: string }[] } | undefined;
      failed = new Set((result?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch (error) {
      logError(`[queue] ${worker.handler} failed`, error);
      failed = new Set(batch.map((m) => m.messageId));
    }
    for (const message of batch.filter((m) => failed.has(m.messageId))) {
      if (message.receiveCount >= worker.maxReceiveCount) {
        logError(
          `[queue] ${worker.handler}: message dropped after ${message.receiveCount} receives (in AWS: the dead-letter queue)`,
        );
        continue;
      }
      message.visibleAt = Date.now() + 200 * 2 ** message.receiveCount;
      queues.get(name)?.push(message);
    }
  };

  const poll = async (name: QueueWorkerName) => {
    const worker = QUEUE_WORKERS[name];
    const inFlight = new Set<Promise<void>>();
    while (!stopped) {
      const queue = queues.get(name) ?? [];
      while (inFlight.size < worker.maxConcurrency) {
        const now = Date.now();
        const batch = queue.filter((m) => m.visibleAt <= now).slice(0, worker.batchSize);
        if (batch.length === 0) break;
        for (const message of batch) {
          queue.splice(queue.indexOf(message), 1);
          message.receiveCount += 1;
        }
        const run = invoke(name, batch).finally(() => inFlight.delete(run));
        inFlight.add(run);
      }
      await new Promise((r) => setTimeout(r, options.intervalMs ?? 100));
    }
    await Promise.all(inFlight);
  };

  for (const name of Object.keys(QUEUE_WORKERS) as QueueWorkerName[]) {
    queues.set(name, []);
    running.add(poll(name));
  }

  return {
    send: (worker: QueueWorkerName, record: DynamoDBRecord) => {
      queues
        .get(worker)
        ?.push({ messageId: randomUUID(), body: JSON.stringify(record), receiveCount: 0, visibleAt: 0 });
      return Promise.resolve();
    },
    stop: async () => {
      stopped = true;
      await Promise.all(running);
    },
  };
}

function sqsRecord(worker: QueueWorkerName, message: Message): SQSRecord {
  return {
    messageId: message.messageId,
    receiptHandle: message.messageId,
    body: message.body,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(Date.now()),
      SenderId: 'local',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:local:000000000000:roster-${worker}`,
    awsRegion: 'local',
  };
}
