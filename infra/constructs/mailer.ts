import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { EmailIdentity, Identity } from 'aws-cdk-lib/aws-ses';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { streamDeadLetters } from './stream-dead-letters.js';
import { ApiFunction, type FunctionEnvironment } from './api-function.js';
import type { RosterTable } from './roster-table.js';

/**
 * The `entity` of outbox items (OUTBOX_ENTITY in shared/mail/outbox.ts, which a test holds
 * this to): written out here because that module loads the AWS SDK, which synth need not.
 */
export const OUTBOX_ENTITY_FILTER = 'outbox';

export interface MailSenderIdentityProps {
  /** The address Roster's mail comes from (MAIL_FROM). */
  readonly fromAddress: string;
  /**
   * Create the SES email identity for the address (SES then mails its owner a verification
   * link). Turn off when the address or its domain is verified elsewhere, for instance by
   * another stage in the same account: SES refuses a second identity of the same name.
   * @default true
   */
  readonly createIdentity?: boolean;
}

/**
 * The SES identity Roster sends from, and the one grant on it: `ses:SendEmail` on that
 * identity's ARN (SES v2 authorizes SendEmail against the identity of the From address).
 */
export class MailSenderIdentity extends Construct {
  readonly fromAddress: string;
  /** Set when the identity is created here. */
  readonly emailIdentity: EmailIdentity | undefined;
  /** ARNs SendEmail may use: the address's identity, and its domain's when the identity is managed elsewhere. */
  readonly identityArns: readonly string[];

  constructor(scope: Construct, id: string, props: MailSenderIdentityProps) {
    super(scope, id);
    this.fromAddress = props.fromAddress;
    const domain = props.fromAddress.slice(props.fromAddress.lastIndexOf('@') + 1);
    const identityArn = (name: string) =>
      Stack.of(this).formatArn({ service: 'ses', resource: 'identity', resourceName: name });
    if (props.createIdentity ?? true) {
      this.emailIdentity = new EmailIdentity(this, 'EmailIdentity', { identity: Identity.email(props.fromAddress) });
      // Verification is a person clicking a link: keep it across stack replacements.
      this.emailIdentity.applyRemovalPolicy(RemovalPolicy.RETAIN);
      this.identityArns = [identityArn(props.fromAddress)];
    } else {
      // Verified elsewhere, as the address or as its domain: SES checks whichever is verified.
      this.emailIdentity = undefined;
      this.identityArns = [identityArn(props.fromAddress), identityArn(domain)];
    }
  }

  /** `ses:SendEmail` from this identity only: no other action, no other identity. */
  grantSendEmail(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({ grantee, actions: ['ses:SendEmail'], resourceArns: [...this.identityArns] });
  }
}

export interface MailerProps {
  /** The table whose stream carries the outbox items. */
  readonly table: RosterTable;
  readonly sender: MailSenderIdentity;
  /** Absolute path of the mailer's handler module. */
  readonly entry: string;
  readonly environment: FunctionEnvironment;
  /** @default RetentionDays.ONE_MONTH (ApiFunction's default) */
  readonly logRetention?: RetentionDays;
  /**
   * Stream records per invocation.
   * @default 10
   */
  readonly batchSize?: number;
  /**
   * Retries of a failing batch before it goes to the dead-letter queue.
   * @default 8
   */
  readonly retryAttempts?: number;
  /**
   * A record older than this goes to the dead-letter queue instead of being retried: records
   * of a shard wait behind a failing one, so a poison record must not hold mail back for long.
   * @default Duration.hours(1)
   */
  readonly maxRecordAge?: Duration;
}

/**
 * The transactional outbox's delivery side: the table stream, filtered to inserted outbox
 * items, drives the mailer function, which sends each with SES and deletes it. Failed records
 * are reported one by one (ReportBatchItemFailures) and retried, the batch bisected; past the
 * retries the batch's stream position goes to an encrypted dead-letter queue, and an alarm
 * fires. The outbox item itself stays in the table until its TTL, so nothing is lost.
 */
export class Mailer extends Construct {
  readonly function: ApiFunction;
  readonly deadLetterQueue: Queue;
  /** In alarm while the dead-letter queue holds anything. No action: attach one (SNS, chat) per stage. */
  readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: MailerProps) {
    super(scope, id);
    this.function = new ApiFunction(this, 'Function', {
      entry: props.entry,
      description: 'Mails outbox items from the table stream (SES)',
      environment: props.environment,
      // Up to a batch of mails, each a GetItem, a SendEmail and a DeleteItem, one after another.
      timeout: Duration.seconds(30),
      ...(props.logRetention === undefined ? {} : { logRetention: props.logRetention }),
    });
    props.table.grantOutboxDelivery(this.function);
    props.sender.grantSendEmail(this.function);

    ({ queue: this.deadLetterQueue, alarm: this.deadLetterAlarm } = streamDeadLetters(this, {
      worker: 'mailer',
      alarmDescription:
        'Outbox mail failed past its retries. The dead-letter queue holds the failed stream ' +
        'positions; the outbox items stay in the table until their TTL and can be sent again.',
    }));

    // The stream is granted (DescribeStream, GetRecords, GetShardIterator, ListStreams on the
    // stream ARN only) by the event source itself.
    this.function.function.addEventSource(
      new DynamoEventSource(props.table.table, {
        startingPosition: StartingPosition.LATEST,
        batchSize: props.batchSize ?? 10,
        reportBatchItemFailures: true,
        bisectBatchOnError: true,
        retryAttempts: props.retryAttempts ?? 8,
        maxRecordAge: props.maxRecordAge ?? Duration.hours(1),
        onFailure: new SqsDlq(this.deadLetterQueue),
        // Invoked for new outbox items only, not for every change to the table.
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.isEqual('INSERT'),
            dynamodb: { NewImage: { entity: { S: FilterRule.isEqual(OUTBOX_ENTITY_FILTER) } } },
          }),
        ],
      }),
    );
  }
}
