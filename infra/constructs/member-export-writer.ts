import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { Grant } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { streamDeadLetters } from './stream-dead-letters.js';
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
    Grant.addToPrincipal({
      grantee: this.function,
      actions: ['dynamodb:UpdateItem'],
      resourceArns: [props.table.tableArn],
    });
    props.exportBucket.attach(this.function, 'write');

    ({ queue: this.deadLetterQueue, alarm: this.deadLetterAlarm } = streamDeadLetters(this, {
      worker: 'export writer',
      alarmDescription:
        'A member export job could not record its outcome past its retries: the job may stay queued ' +
        'or running until its TTL. The dead-letter queue holds the stream positions.',
    }));

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
  }
}
