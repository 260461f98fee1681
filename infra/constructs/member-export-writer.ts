import { Grant } from 'aws-cdk-lib/aws-iam';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { QUEUE_WORKERS } from '../../shared/async/consumers.js';
import type { ApiFunction } from './api-function.js';
import { consumerFunction, workerQueue, type ConsumerProps } from './async-consumer.js';
import type { ExportBucket } from './export-bucket.js';
import { leadingKeyFamilies } from './roster-table.js';

export interface MemberExportWriterProps extends ConsumerProps {
  readonly exportBucket: ExportBucket;
}

/**
 * The large export's writer (the `memberExportWriter` entry of shared/async/consumers.ts):
 * the stream dispatcher sends it each inserted export job, on a queue of its own; it pages
 * through the org's members and streams the CSV into the exports bucket (multipart upload),
 * then marks the job ready. One job per invocation (an export may take minutes); a job that
 * fails is marked failed by the function itself, and only a message whose outcome could not
 * be recorded is retried and then dead-lettered, with an alarm.
 */
export class MemberExportWriter extends Construct {
  readonly function: ApiFunction;
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: MemberExportWriterProps) {
    super(scope, id);
    this.function = consumerFunction(this, QUEUE_WORKERS.memberExportWriter, props);
    // Reads members and teams (Query on the table and the by-name index), updates its job item:
    // all in its declared families (shared/async/consumers.ts).
    const { families } = QUEUE_WORKERS.memberExportWriter.table;
    props.table.grantPartitionFamilies(this.function, 'read', families);
    Grant.addToPrincipal({
      grantee: this.function,
      actions: ['dynamodb:UpdateItem'],
      resourceArns: [props.table.tableArn],
      conditions: leadingKeyFamilies(families),
    });
    props.exportBucket.attach(this.function, 'write');

    ({
      queue: this.queue,
      deadLetterQueue: this.deadLetterQueue,
      deadLetterAlarm: this.deadLetterAlarm,
    } = workerQueue(this, this.function, QUEUE_WORKERS.memberExportWriter, {
      alarmDescription:
        'A member export job could not record its outcome past its retries: the job may stay queued ' +
        'or running until its TTL. The dead-letter queue holds the job records; the admin can request a new export.',
    }));
  }
}
