import { join } from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyStatement, Role, ServicePrincipal, type IRole } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, FilterRule, StartingPosition, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke, type ScheduleTargetBaseProps } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import {
  visibilityTimeoutSeconds,
  type QueueWorker,
  type ScheduledJob,
  type StreamReader,
  type StreamRecordFilter,
} from '../../shared/async/consumers.js';
import { ApiFunction, type FunctionEnvironment } from './api-function.js';
import type { RosterTable } from './roster-table.js';
import { streamDeadLetters, type StreamDeadLetters } from './stream-dead-letters.js';

/** What every consumer construct is given by the async stack. */
export interface ConsumerProps {
  readonly table: RosterTable;
  /** Folder of the handler modules; a consumer's entry is `<functionsDir>/<handler>.ts`. */
  readonly functionsDir: string;
  readonly environment: FunctionEnvironment;
  /** @default RetentionDays.ONE_MONTH (ApiFunction's default) */
  readonly logRetention?: RetentionDays;
}

/** The consumer's function, as its table entry (shared/async/consumers.ts) declares it. */
export function consumerFunction(
  scope: Construct,
  consumer: StreamReader | QueueWorker | ScheduledJob,
  props: ConsumerProps,
): ApiFunction {
  return new ApiFunction(scope, 'Function', {
    entry: join(props.functionsDir, `${consumer.handler}.ts`),
    description: consumer.description,
    environment: props.environment,
    timeout: Duration.seconds(consumer.timeoutSeconds),
    ...(consumer.memoryMb === undefined ? {} : { memorySize: consumer.memoryMb }),
    ...(props.logRetention === undefined ? {} : { logRetention: props.logRetention }),
  });
}

/** Lambda's filter pattern for a table entry's filter (equality on the event name and new-image strings). */
export function streamFilterCriteria(filter: StreamRecordFilter): Record<string, unknown> {
  const newImage = Object.fromEntries(
    Object.entries(filter.newImage).map(([name, value]) => [name, { S: FilterRule.isEqual(value) }]),
  );
  return FilterCriteria.filter({ eventName: FilterRule.isEqual(filter.eventName), dynamodb: { NewImage: newImage } });
}

/**
 * A reader of the table stream: its event source mapping, as its table entry declares it, with
 * failed records reported one by one and, past the retries, their stream positions in an
 * encrypted dead-letter queue with an alarm. The mapping itself is granted the stream
 * (DescribeStream, GetRecords, GetShardIterator, ListStreams on the stream ARN only).
 */
export function readTableStream(
  scope: Construct,
  fn: ApiFunction,
  reader: StreamReader,
  props: { table: RosterTable; worker: string; alarmDescription: string },
): StreamDeadLetters {
  const deadLetters = streamDeadLetters(scope, { worker: props.worker, alarmDescription: props.alarmDescription });
  fn.function.addEventSource(
    new DynamoEventSource(props.table.table, {
      startingPosition: StartingPosition.LATEST,
      batchSize: reader.batchSize,
      reportBatchItemFailures: true,
      bisectBatchOnError: reader.bisectBatchOnError,
      retryAttempts: reader.retryAttempts,
      maxRecordAge: Duration.seconds(reader.maxRecordAgeSeconds),
      onFailure: new SqsDlq(deadLetters.queue),
      filters: reader.filters.map(streamFilterCriteria),
    }),
  );
  return deadLetters;
}

export interface WorkerQueue {
  /** The queue the dispatcher sends the worker's records to. */
  readonly queue: Queue;
  /** Where a message goes after maxReceiveCount deliveries. */
  readonly deadLetterQueue: Queue;
  /** In alarm while the dead-letter queue holds anything. No action: attach one (SNS, chat) per stage. */
  readonly deadLetterAlarm: Alarm;
}

/**
 * A queue worker's queue: encrypted, TLS-only, its visibility timeout longer than the worker's
 * timeout, a dead-letter queue (14 days) after maxReceiveCount deliveries with an alarm, and
 * the event source mapping (batch size, ReportBatchItemFailures, maximum concurrency).
 */
export function workerQueue(
  scope: Construct,
  fn: ApiFunction,
  worker: QueueWorker,
  props: { alarmDescription: string },
): WorkerQueue {
  const deadLetterQueue = new Queue(scope, 'DeadLetterQueue', {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  const queue = new Queue(scope, 'Queue', {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    visibilityTimeout: Duration.seconds(visibilityTimeoutSeconds(worker)),
    // A record waits at most this long for a worker; the stream keeps it only a day anyway.
    retentionPeriod: Duration.days(4),
    deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: worker.maxReceiveCount },
  });
  const deadLetterAlarm = new Alarm(scope, 'DeadLetterAlarm', {
    alarmDescription: props.alarmDescription,
    metric: deadLetterQueue.metricApproximateNumberOfMessagesVisible({
      period: Duration.minutes(1),
      statistic: Stats.MAXIMUM,
    }),
    threshold: 0,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  fn.function.addEventSource(
    new SqsEventSource(queue, {
      batchSize: worker.batchSize,
      reportBatchItemFailures: true,
      maxConcurrency: worker.maxConcurrency,
    }),
  );
  return { queue, deadLetterQueue, deadLetterAlarm };
}

/**
 * A scheduled job: an EventBridge Scheduler schedule, at the table entry's rate, invoking the
 * function with `{}` through a role of its own (`ScheduleRole`) that may invoke that function
 * only. The jobs are idempotent and the next run catches up: no dead-letter queue; retries
 * ride out throttling.
 */
export function scheduleJob(
  scope: Construct,
  fn: ApiFunction,
  job: ScheduledJob,
  description: string,
): { schedule: Schedule; role: Role } {
  const role = new Role(scope, 'ScheduleRole', {
    assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } },
    }),
  });
  const schedule = new Schedule(scope, 'Schedule', {
    description,
    schedule: ScheduleExpression.rate(Duration.minutes(job.rateMinutes)),
    target: new InvokeUnqualifiedFunction(fn.function, {
      role,
      input: ScheduleTargetInput.fromObject({}),
      retryAttempts: job.retryAttempts,
      maxEventAge: Duration.seconds(job.maxEventAgeSeconds),
    }),
  });
  return { schedule, role };
}

/**
 * LambdaInvoke, granting lambda:InvokeFunction on the function's own ARN only: the schedule
 * invokes it unqualified, so the `:*` (every version and alias) that Function.grantInvoke
 * adds would be a wildcard with no use.
 */
class InvokeUnqualifiedFunction extends LambdaInvoke {
  constructor(
    private readonly invoked: IFunction,
    props: ScheduleTargetBaseProps,
  ) {
    super(invoked, props);
  }

  protected override addTargetActionToRole(role: IRole): void {
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.invoked.functionArn] }),
    );
  }
}
