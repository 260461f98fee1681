import { join } from 'node:path';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { PROJECT_ROOT, type FunctionEnvironment } from '../constructs/api-function.js';
import type { ExportBucket } from '../constructs/export-bucket.js';
import { ImportWorker } from '../constructs/import-worker.js';
import { InvitationExpiry } from '../constructs/invitation-expiry.js';
import { Mailer, type MailSenderIdentity } from '../constructs/mailer.js';
import { MemberExportWriter } from '../constructs/member-export-writer.js';
import { SeatSweeper } from '../constructs/seat-sweeper.js';
import { StreamDispatcher } from '../constructs/stream-dispatcher.js';
import { enforceResourceBudget } from '../constructs/resource-budget.js';
import type { RosterIdentity } from '../constructs/roster-identity.js';
import type { RosterTable } from '../constructs/roster-table.js';
import type { SecretsKey } from '../constructs/secrets-key.js';
import { SignInTriggers } from '../constructs/sign-in-triggers.js';
import { SsoProviderReconciler } from '../constructs/sso-provider-reconciler.js';

export interface AsyncStackProps extends StackProps {
  readonly table: RosterTable;
  /** Where the member export writer puts its files. */
  readonly exportBucket: ExportBucket;
  /** The pool the functions read USER_POOL_ID from; an imported one also gets its sign-in triggers here. */
  readonly identity: RosterIdentity;
  /** The SES identity the mailer sends from (MAIL_FROM). */
  readonly mailSender: MailSenderIdentity;
  /** Seals the links the import worker mails; the mailer opens them. */
  readonly secretsKey: SecretsKey;
  /** Base URL of the admin SPA (APP_URL). */
  readonly appUrl: string;
  /** Function log retention. @default ApiFunction's default */
  readonly logRetention?: RetentionDays;
  /** @default 'INFO' */
  readonly logLevel?: string;
  /**
   * Where the handler modules live.
   * @default <repository>/functions
   */
  readonly functionsDir?: string;
}

/**
 * What runs off the request path, as shared/async/consumers.ts declares it: the table
 * stream's two readers (the outbox mailer, and the dispatcher feeding the import worker's and
 * the export writer's queues) and the schedules (invitation expiry, seat sweeper, SSO provider reconciler). With an imported user pool, also the sign-in triggers, which
 * the pool's owner attaches by hand (their ARNs are this stack's outputs).
 */
export class AsyncStack extends Stack {
  readonly mailer: Mailer;
  readonly invitationExpiry: InvitationExpiry;
  readonly seatSweeper: SeatSweeper;
  /** Repairs what an SSO connection change that died halfway leaves: the SPA client's providers, orphan identity providers. */
  readonly ssoProviderReconciler: SsoProviderReconciler;
  readonly importWorker: ImportWorker;
  readonly memberExportWriter: MemberExportWriter;
  /** The table stream's second reader: routes import and export records to their workers' queues. */
  readonly streamDispatcher: StreamDispatcher;
  /** Set when the pool is imported; a created pool's triggers live in the identity stack. */
  readonly signInTriggers: SignInTriggers | undefined;

  constructor(scope: Construct, id: string, props: AsyncStackProps) {
    super(scope, id, props);
    const functionsDir = props.functionsDir ?? join(PROJECT_ROOT, 'functions');
    const environment: FunctionEnvironment = {
      tableName: props.table.tableName,
      userPoolId: props.identity.userPoolId,
      appUrl: props.appUrl,
      mailFrom: props.mailSender.fromAddress,
      logLevel: props.logLevel ?? 'INFO',
    };
    const logRetention = props.logRetention === undefined ? {} : { logRetention: props.logRetention };

    const consumer = { table: props.table, functionsDir, environment, ...logRetention };
    this.mailer = new Mailer(this, 'OutboxMailer', {
      ...consumer,
      sender: props.mailSender,
      secretsKey: props.secretsKey,
    });
    this.invitationExpiry = new InvitationExpiry(this, 'InvitationExpiry', consumer);
    this.seatSweeper = new SeatSweeper(this, 'SeatSweeper', consumer);
    this.ssoProviderReconciler = new SsoProviderReconciler(this, 'SsoProviderReconciler', {
      ...consumer,
      environment: { ...environment, userPoolClientId: props.identity.userPoolClientId },
      identity: props.identity,
    });
    this.memberExportWriter = new MemberExportWriter(this, 'MemberExportWriter', {
      ...consumer,
      exportBucket: props.exportBucket,
    });
    this.importWorker = new ImportWorker(this, 'ImportWorker', { ...consumer, secretsKey: props.secretsKey });
    this.streamDispatcher = new StreamDispatcher(this, 'StreamDispatcher', {
      ...consumer,
      queues: { importWorker: this.importWorker.queue, memberExportWriter: this.memberExportWriter.queue },
    });

    if (props.identity.ownedUserPool) {
      this.signInTriggers = undefined;
    } else {
      // The operator must set these as the imported pool's Pre authentication and Post
      // authentication triggers (Cognito console or UpdateUserPool's LambdaConfig; note that
      // UpdateUserPool resets every setting it is not given). The invoke permissions exist.
      this.signInTriggers = new SignInTriggers(this, 'SignInTriggers', {
        identity: props.identity,
        table: props.table,
        functionsDir,
        environment,
        ...logRetention,
      });
      new CfnOutput(this, 'PreAuthenticationTriggerArn', {
        description: 'Attach to the imported user pool as its Pre authentication trigger',
        value: this.signInTriggers.preAuthentication.function.functionArn,
      });
      new CfnOutput(this, 'PostAuthenticationTriggerArn', {
        description: 'Attach to the imported user pool as its Post authentication trigger',
        value: this.signInTriggers.postAuthentication.function.functionArn,
      });
      new CfnOutput(this, 'PreTokenGenerationTriggerArn', {
        description:
          'Attach to the imported user pool as its Pre token generation trigger (event version V2_0), and give the pool the immutable custom attribute roster_user_id',
        value: this.signInTriggers.preTokenGeneration.function.functionArn,
      });
      new CfnOutput(this, 'PreSignUpTriggerArn', {
        description:
          'Attach to the imported user pool as its Pre sign-up trigger (SSO: links a first federated sign-in to the Roster user with that email), and give the pool the mutable custom attribute groups',
        value: this.signInTriggers.preSignUp.function.functionArn,
      });
    }
    new CfnOutput(this, 'MailDeadLetterQueueUrl', { value: this.mailer.deadLetterQueue.queueUrl });
    enforceResourceBudget(this);
  }
}
