import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBRecord } from 'aws-lambda';
import { queueUrlVariable, type QueueWorkerName } from './consumers.js';
import type { WorkQueues } from './dispatch.js';

/** The workers' SQS queues, their URLs read from the dispatcher's environment (set by the CDK app). */
export class SqsWorkQueues implements WorkQueues {
  constructor(
    private readonly client: SQSClient,
    private readonly environment: Readonly<Record<string, string | undefined>> = process.env,
  ) {}

  async send(worker: QueueWorkerName, record: DynamoDBRecord): Promise<void> {
    // Read when sending, not at module load: a missing variable fails the record (retried,
    // then dead-lettered, with an alarm) rather than every cold start.
    const url = this.environment[queueUrlVariable(worker)];
    if (!url) throw new Error(`${queueUrlVariable(worker)} is not set`);
    await this.client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: JSON.stringify(record) }));
  }
}
