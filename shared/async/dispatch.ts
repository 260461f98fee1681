import type { DynamoDBRecord } from 'aws-lambda';
import { routeStreamRecord, type QueueWorkerName } from './consumers.js';

/** The workers' queues: SQS in AWS (sqs-work-queues.ts), in-process queues in the local stack. */
export interface WorkQueues {
  /** Queues the stream record for the worker; resolves once the queue has it. */
  send(worker: QueueWorkerName, record: DynamoDBRecord): Promise<void>;
}

/**
 * The dispatcher's one rule: a stream record goes to the queue of the worker whose route it
 * matches (shared/async/consumers.ts), as it is, so the worker reads the same record a stream
 * reader would. Returns the worker, or undefined for a record no worker takes.
 */
export async function dispatchStreamRecord(
  queues: WorkQueues,
  record: DynamoDBRecord,
): Promise<QueueWorkerName | undefined> {
  const worker = routeStreamRecord(record);
  if (worker) await queues.send(worker, record);
  return worker;
}
