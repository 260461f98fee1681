import { Duration, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Grant } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ApiFunction, type FunctionEnvironment } from './api-function.js';
import type { ExportBucket } from './export-bucket.js';
import type { RosterTable } from './roster-table.js';

/**
 * The `entity` of export job items (MEMBER_EXPORT_ENTITY in shared/exports/member-export.ts,
 * which a test holds this to), written out so synth does not load that module's SDK imports.
 */
export const MEMBER_EXPORT_ENTITY_FILTER = 'memberExport';

export interface MemberExportWriterProps {
  readonly table: RosterTable;
  readonly exportBucket: ExportBucket;
  /** Absolute path of the writer's handler module. */
  readonly entry: string;
  readonly environment: FunctionEnvironment;
  /** @default RetentionDays.ONE_MONTH (ApiFunction's default) */
  readonly logRetention?: RetentionDays;
}

/**
 * The large export's writer: the table stream, filtered to inserted export jobs, drives a
 * function that pages through the org's members and streams the CSV into the exports bucket
 * (multipart upload), then marks the job ready. One job per invocation (an export may take
 * minutes); a job that fails is marked failed by the function itself, and only a record whose
 * outcome could not be recorded is retried and then dead-lettered, with an alarm.
 */
export class MemberExportWriter extends Construct {
  readonly function: ApiFunction;
  readonly deadLetterQueue: Queue;
  readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: MemberExportWriterProps) {
    super(scope, id);
    this.function = new ApiFunction(this, 'Function', {
      entry: props.entry,
      description: 'Writes member exports from the table stream to S3',
      environment: props.environment,
      // 100,000 members are 200 Queries and a few 5 MiB parts: well inside; Lambda's maximum is the bound.
      timeout: Duration.minutes(15),
      // Memory holds one page and two upload parts; more memory is more CPU for the CSV rows.
      memorySize: 1024,
      ...(props.logRetention === undefined ? {} : { logRetention: props.logRetention }),
    });
    // Reads members and teams (Query on the table and the by-name index), updates its job item.
    props.table.grantReadData(this.function);
    Grant.addToPrincipal({ grantee: this.function, actions: ['dynamodb:UpdateItem'], resourceArns: [props.table.tableArn] });
    props.exportBucket.attach(this.function, 'write');

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is itself a dead-letter queue: the on-failure destination of the export writer's " +
        'DynamoDB stream event source mapping, which cdk-nag does not recognise (it looks only at ' +
        'queue redrive policies and function DeadLetterConfig). Nothing consumes it automatically.',
    });

    this.function.function.addEventSource(
      new DynamoEventSource(props.table.table, {
        startingPosition: StartingPosition.LATEST,
        batchSize: 1,
        reportBatchItemFailures: true,
        retryAttempts: 2,
        maxRecordAge: Duration.hours(1),
        onFailure: new SqsDlq(this.deadLetterQueue),
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.isEqual('INSERT'),
            dynamodb: { NewImage: { entity: { S: FilterRule.isEqual(MEMBER_EXPORT_ENTITY_FILTER) } } },
          }),
        ],
      }),
    );

    this.deadLetterAlarm = new Alarm(this, 'DeadLetterAlarm', {
      alarmDescription:
        'A member export job could not record its outcome past its retries: the job may stay queued ' +
        'or running until its TTL. The dead-letter queue holds the stream positions.',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: Stats.MAXIMUM }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
