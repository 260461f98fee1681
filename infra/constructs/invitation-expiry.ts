import { Grant, type IGrantable, type Role } from 'aws-cdk-lib/aws-iam';
import type { Schedule } from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { SCHEDULED_JOBS } from '../../shared/async/consumers.js';
import { auditPartition, orgPartition } from '../../shared/data/keys.js';
import type { ApiFunction } from './api-function.js';
import { consumerFunction, scheduleJob, type ConsumerProps } from './async-consumer.js';
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

/** Its rate, timeout and retries are the `invitationExpiry` entry of shared/async/consumers.ts. */
export type InvitationExpiryProps = ConsumerProps;

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
    this.function = consumerFunction(this, SCHEDULED_JOBS.invitationExpiry, props);
    grantInvitationExpiry(props.table, this.function);

    ({ schedule: this.schedule, role: this.scheduleRole } = scheduleJob(
      this,
      this.function,
      SCHEDULED_JOBS.invitationExpiry,
      'Runs the invitation expiry sweep',
    ));
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
