import { Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { streamDeadLetters } from './stream-dead-letters.js';
import { ApiFunction, type FunctionEnvironment } from './api-function.js';
import type { RosterTable } from './roster-table.js';

/**
 * The `entity` and status of an import item the worker starts on (IMPORT_JOB_ENTITY in
 * shared/imports/import-job.ts, which a test holds this to), written out so synth does not
 * load that module's SDK imports.
 */
export const IMPORT_JOB_ENTITY_FILTER = 'importJob';
export const IMPORT_QUEUED_STATUS = 'queued';
export interface ImportWorkerProps {
  readonly table: RosterTable;
  /** Absolute path of the worker's handler module. */
  readonly entry: string;
  readonly environment: FunctionEnvironment;
  /** @default RetentionDays.ONE_MONTH (ApiFunction's default) */
  readonly logRetention?: RetentionDays;
}

/**
 * The CSV import worker: the table stream, filtered to import items modified into `queued`
 * (commit, or a worker handing over near its timeout), drives a function that imports the
 * rows batch by batch. One import per invocation. A failed invocation is retried (every
 * batch is idempotent, so a retry redoes nothing); past the retries the stream position goes
 * to an encrypted dead-letter queue and an alarm fires; the import stays `running` at its
 * checkpoint until its lease runs out, then the seat sweeper resumes or fails it (seat-sweeper.ts).
 */
export class ImportWorker extends Construct {
  readonly function: ApiFunction;
  readonly deadLetterQueue: Queue;
  readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: ImportWorkerProps) {
    super(scope, id);
    this.function = new ApiFunction(this, 'Function', {
      entry: props.entry,
      description: 'Imports the rows of committed CSV imports (table stream)',
      environment: props.environment,
      // 10,000 rows take about a minute; the worker hands over 20 s before the end anyway.
      timeout: Duration.minutes(15),
      // More memory is more CPU for the rows' marshalling; a batch holds 300 rows.
      memorySize: 1024,
      ...(props.logRetention === undefined ? {} : { logRetention: props.logRetention }),
    });
    // Rows become members or invitations (with their users, claims, tokens, outbox mail, audit).
    // No Cognito action: an imported person's identity is created when first needed, elsewhere.
    props.table.grantReadWriteData(this.function);

    ({ queue: this.deadLetterQueue, alarm: this.deadLetterAlarm } = streamDeadLetters(this, {
      worker: 'import worker',
      alarmDescription:
        'A CSV import failed past its retries and stopped at its last checkpoint. The seat sweeper ' +
        'resumes it once when its lease runs out, then fails it with its unused seats released (import.failed). ' +
        'Read the error in the worker log; the import report lists the rows not imported.',
    }));

    this.function.function.addEventSource(
      new DynamoEventSource(props.table.table, {
        startingPosition: StartingPosition.LATEST,
        batchSize: 1,
        retryAttempts: 3,
        maxRecordAge: Duration.hours(6),
        onFailure: new SqsDlq(this.deadLetterQueue),
        // Only an import item that just became queued; its progress updates (status running) do not invoke.
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.isEqual('MODIFY'),
            dynamodb: {
              NewImage: {
                entity: { S: FilterRule.isEqual(IMPORT_JOB_ENTITY_FILTER) },
                status: { S: FilterRule.isEqual(IMPORT_QUEUED_STATUS) },
              },
            },
          }),
        ],
      }),
    );
  }
}
