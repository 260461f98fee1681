import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Grant, type IGrantable, type Role } from 'aws-cdk-lib/aws-iam';
import type { Schedule } from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { SCHEDULED_JOBS } from '../../shared/async/consumers.js';
import type { ApiFunction } from './api-function.js';
import { consumerFunction, scheduleJob, type ConsumerProps } from './async-consumer.js';
import type { RosterTable } from './roster-table.js';

/**
 * The sweep's index (LEASE_INDEX in shared/seats/sweep-seat-leases.ts) and the metrics it and
 * the recount publish (shared/seats/seat-metrics.ts), written out so synth does not load those
 * modules' SDK imports; a test holds them together.
 */
export const LEASE_INDEX_NAME = 'GSI3';
export const SEAT_METRICS_NAMESPACE = 'Roster';
export const SEAT_DRIFT_METRIC = 'SeatDrift';
export const SEATS_RELEASED_METRIC = 'SeatsReleasedBySweeper';
/** Powertools Metrics' default dimension: the functions' POWERTOOLS_SERVICE_NAME (api-function.ts). */
const SERVICE_DIMENSION = { service: 'roster' };

/** Partition prefixes the sweep touches: org items (leases, imports, counters), import batches and chunks, audit events. */
const SWEEP_PARTITIONS = ['ORG#', 'IMPORT#', 'AUDIT#'] as const;

/** Its rate, timeout and retries are the `seatSweeper` entry of shared/async/consumers.ts. */
export type SeatSweeperProps = ConsumerProps;

/**
 * The seat sweeper: an EventBridge Scheduler schedule invokes a function that Queries the sparse
 * lease index for reservations whose owner's deadline has passed (bulk invites, imports whose
 * worker died) and releases, resumes or fails them. Two alarms: seat drift found by a recount
 * (POST /v1/orgs/{orgId}/seats/reconcile), and seats released by the sweeper (owners dying).
 */
export class SeatSweeper extends Construct {
  readonly function: ApiFunction;
  readonly schedule: Schedule;
  readonly scheduleRole: Role;
  readonly driftAlarm: Alarm;
  readonly releasedAlarm: Alarm;

  constructor(scope: Construct, id: string, props: SeatSweeperProps) {
    super(scope, id);
    this.function = consumerFunction(this, SCHEDULED_JOBS.seatSweeper, props);
    grantSeatSweep(props.table, this.function);

    ({ schedule: this.schedule, role: this.scheduleRole } = scheduleJob(
      this,
      this.function,
      SCHEDULED_JOBS.seatSweeper,
      'Runs the seat sweeper',
    ));

    this.driftAlarm = new Alarm(this, 'SeatDriftAlarm', {
      alarmDescription:
        "A seat recount found an org's seatsUsed different from its active members + pending invitations + live reservations, and repaired it. " +
        "Find the org in the reconcile function's log (orgId in the metric line) and the seats.reconciled audit event; look for what wrote the counter without its items.",
      metric: new Metric({
        namespace: SEAT_METRICS_NAMESPACE,
        metricName: SEAT_DRIFT_METRIC,
        dimensionsMap: SERVICE_DIMENSION,
        statistic: Stats.MAXIMUM,
        period: Duration.minutes(5),
      }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.releasedAlarm = new Alarm(this, 'SeatsReleasedAlarm', {
      alarmDescription:
        'The seat sweeper keeps giving back seats held by bulk invites or imports whose owner died (three runs in a row). ' +
        "Look for bulk-invite timeouts in the API logs and failed imports (import.failed audit events, the import worker's dead-letter queue).",
      metric: new Metric({
        namespace: SEAT_METRICS_NAMESPACE,
        metricName: SEATS_RELEASED_METRIC,
        dimensionsMap: SERVICE_DIMENSION,
        statistic: Stats.SUM,
        period: Duration.minutes(5),
      }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}

/** Query on the lease index; item reads and writes, Query and BatchGetItem only on the partitions the sweep touches (LeadingKeys). */
function grantSeatSweep(table: RosterTable, grantee: IGrantable): Grant {
  if (!table.indexNames.includes(LEASE_INDEX_NAME)) throw new Error(`${table.node.path}: no index ${LEASE_INDEX_NAME}`);
  return Grant.addToPrincipal({
    grantee,
    actions: ['dynamodb:Query'],
    resourceArns: [`${table.tableArn}/index/${LEASE_INDEX_NAME}`],
  }).combine(
    Grant.addToPrincipal({
      grantee,
      actions: [
        'dynamodb:GetItem',
        'dynamodb:BatchGetItem',
        'dynamodb:Query',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
        'dynamodb:ConditionCheckItem',
      ],
      resourceArns: [table.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': SWEEP_PARTITIONS.map((pk) => `${pk}*`) } },
    }),
  );
}
