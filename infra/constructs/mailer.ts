import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { EmailIdentity, Identity } from 'aws-cdk-lib/aws-ses';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { STREAM_READERS } from '../../shared/async/consumers.js';
import { SECRET_PURPOSES } from '../../shared/secrets/secrets-env.js';
import type { ApiFunction } from './api-function.js';
import { consumerFunction, readTableStream, type ConsumerProps } from './async-consumer.js';
import type { SecretsKey } from './secrets-key.js';

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

export interface MailerProps extends ConsumerProps {
  readonly sender: MailSenderIdentity;
  /** The mailer opens the links producers sealed (shared/mail/mail-link.ts). */
  readonly secretsKey: SecretsKey;
}

/**
 * The transactional outbox's delivery side: a direct reader of the table stream (the
 * `mailer` entry of shared/async/consumers.ts), so no import or export ever holds the shard
 * mail needs. Each inserted outbox item is sent with SES and deleted. Failed records are
 * reported one by one and retried, the batch bisected; past the retries the batch's stream
 * position goes to an encrypted dead-letter queue, and an alarm fires. The outbox item itself
 * stays in the table until its TTL, so nothing is lost.
 */
export class Mailer extends Construct {
  readonly function: ApiFunction;
  readonly deadLetterQueue: Queue;
  /** In alarm while the dead-letter queue holds anything. No action: attach one (SNS, chat) per stage. */
  readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: MailerProps) {
    super(scope, id);
    this.function = consumerFunction(this, STREAM_READERS.mailer, props);
    props.table.grantOutboxDelivery(this.function);
    props.sender.grantSendEmail(this.function);
    // Decrypt only: the mailer opens mail links, it never seals one.
    props.secretsKey.attach(this.function, { access: 'open', purpose: SECRET_PURPOSES.mailLink });

    ({ queue: this.deadLetterQueue, alarm: this.deadLetterAlarm } = readTableStream(
      this,
      this.function,
      STREAM_READERS.mailer,
      {
        table: props.table,
        worker: 'mailer',
        alarmDescription:
          'Outbox mail failed past its retries (SES unreachable or throttling for an hour). The dead-letter queue holds ' +
          'the failed stream positions; the outbox items stay queued in the table until their TTL: resend them with ' +
          'POST /v1/orgs/{orgId}/mail/redrive once SES answers.',
      },
    ));
  }
}
