import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { queueUrlVariable, STREAM_READERS, type QueueWorkerName } from '../../shared/async/consumers.js';
import type { ApiFunction } from './api-function.js';
import { consumerFunction, readTableStream, type ConsumerProps } from './async-consumer.js';

export interface StreamDispatcherProps extends ConsumerProps {
  /** Every queue worker's queue, by its name in shared/async/consumers.ts. */
  readonly queues: Readonly<Record<QueueWorkerName, Queue>>;
}

/**
 * The table stream's second reader (the `dispatcher` entry of shared/async/consumers.ts):
 * copies import and export records to their workers' queues, so those workers scale, retry
 * and dead-letter on their own and no long job holds a shard. It may send to those queues and
 * nothing else: no table access beyond reading the stream.
 */
export class StreamDispatcher extends Construct {
  readonly function: ApiFunction;
  readonly deadLetterQueue: Queue;
  readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: StreamDispatcherProps) {
    super(scope, id);
    this.function = consumerFunction(this, STREAM_READERS.dispatcher, props);
    for (const [worker, queue] of Object.entries(props.queues) as [QueueWorkerName, Queue][]) {
      this.function.function.addEnvironment(queueUrlVariable(worker), queue.queueUrl);
      queue.grantSendMessages(this.function);
    }
    ({ queue: this.deadLetterQueue, alarm: this.deadLetterAlarm } = readTableStream(
      this,
      this.function,
      STREAM_READERS.dispatcher,
      {
        table: props.table,
        worker: 'stream dispatcher',
        alarmDescription:
          'Import or export records could not be queued for their workers past the retries (SQS unreachable). ' +
          'The dead-letter queue holds the stream positions: a committed import stays queued until the seat ' +
          'sweeper resumes it; an export stays queued until its TTL (the admin requests it again).',
      },
    ));
  }
}
