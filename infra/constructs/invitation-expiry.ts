import { Duration, Stack } from 'aws-cdk-lib';
import { Grant, PolicyStatement, Role, ServicePrincipal, type IGrantable, type IRole } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke, type ScheduleTargetBaseProps } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { auditPartition, orgPartition } from '../../shared/data/keys.js';
import { ApiFunction, type FunctionEnvironment } from './api-function.js';
import type { RosterTable } from './roster-table.js';

/**
 * The expiry sweep's index (EXPIRY_INDEX in shared/invitations/expire-invitations.ts, which a
 * test holds this to): written out here because that module loads the AWS SDK, which synth need not.
 */
export const EXPIRY_INDEX_NAME = 'GSI3';

/** Item actions of the sweep's transaction: re-read and replace the invitation, delete its claim, update the org counters. */
export const EXPIRY_ORG_ITEM_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
] as const;

export interface InvitationExpiryProps {
  readonly table: RosterTable;
  /** Absolute path of the sweep's handler module. */
  readonly entry: string;
  readonly environment: FunctionEnvironment;
  /** @default RetentionDays.ONE_MONTH (ApiFunction's default) */
  readonly logRetention?: RetentionDays;
  /**
   * How often the sweep runs; an overdue invitation holds its seat at most this long (its link
   * is refused from the moment it is due, whatever the sweep).
   * @default Duration.minutes(15)
   */
  readonly interval?: Duration;
  /**
   * The sweep stops starting new invitations 15 s before this; the next run finishes.
   * @default Duration.minutes(5)
   */
  readonly timeout?: Duration;
}

/**
 * The invitation expiry sweep: an EventBridge Scheduler schedule invokes the function, which
 * Queries the sparse expiry index for overdue pending invitations and expires each in one
 * transaction. Its table access is only that: Query on the expiry index, and the item actions
 * of the transaction on org and audit partitions (LeadingKeys), no Scan, no BatchWrite.
 */
export class InvitationExpiry extends Construct {
  readonly function: ApiFunction;
  readonly schedule: Schedule;
  /** The role the schedule invokes the function with (its own, not the stack's shared scheduler role). */
  readonly scheduleRole: Role;

  constructor(scope: Construct, id: string, props: InvitationExpiryProps) {
    super(scope, id);
    this.function = new ApiFunction(this, 'Function', {
      entry: props.entry,
      description: 'Expires overdue pending invitations and frees their seats (scheduled)',
      environment: props.environment,
      // A batch job, not a request: a large backlog takes minutes, and the handler stops in time.
      timeout: props.timeout ?? Duration.minutes(5),
      ...(props.logRetention === undefined ? {} : { logRetention: props.logRetention }),
    });
    grantInvitationExpiry(props.table, this.function);

    this.scheduleRole = new Role(this, 'ScheduleRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    });
    this.schedule = new Schedule(this, 'Schedule', {
      description: 'Runs the invitation expiry sweep',
      schedule: ScheduleExpression.rate(props.interval ?? Duration.minutes(15)),
      // The sweep is idempotent and the next run catches up, so a missed or failed run needs no
      // dead-letter queue; a couple of retries ride out throttling.
      target: new InvokeUnqualifiedFunction(this.function.function, {
        role: this.scheduleRole,
        input: ScheduleTargetInput.fromObject({}),
        retryAttempts: 2,
        maxEventAge: Duration.minutes(10),
      }),
    });
  }
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

/** `dynamodb:LeadingKeys` patterns for partition-key prefixes, taken from the key builders. */
const leadingKeys = (...partitionKeys: string[]) => ({
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': partitionKeys.map((pk) => `${pk}*`) },
});

/**
 * Query on the expiry index only; GetItem, PutItem, UpdateItem and DeleteItem on org-partition
 * items (invitation, pending claim, org counters); PutItem on audit partitions (the event).
 */
function grantInvitationExpiry(table: RosterTable, grantee: IGrantable): Grant {
  if (!table.indexNames.includes(EXPIRY_INDEX_NAME))
    throw new Error(`${table.node.path}: no index ${EXPIRY_INDEX_NAME}`);
  return Grant.addToPrincipal({
    grantee,
    actions: ['dynamodb:Query'],
    resourceArns: [`${table.tableArn}/index/${EXPIRY_INDEX_NAME}`],
  })
    .combine(
      Grant.addToPrincipal({
        grantee,
        actions: [...EXPIRY_ORG_ITEM_ACTIONS],
        resourceArns: [table.tableArn],
        conditions: leadingKeys(orgPartition('')),
      }),
    )
    .combine(
      Grant.addToPrincipal({
        grantee,
        actions: ['dynamodb:PutItem'],
        resourceArns: [table.tableArn],
        conditions: leadingKeys(auditPartition('')),
      }),
    );
}
