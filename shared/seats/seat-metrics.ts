import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/**
 * The seat metrics, as CloudWatch embedded metric format (EMF) log lines: no API call, one log
 * line per publish. Namespace and names are what the CDK alarms watch (infra/constructs/seat-sweeper.ts).
 */
export const SEAT_METRICS_NAMESPACE = 'Roster';
export const SEAT_DRIFT_METRIC = 'SeatDrift';
export const SEATS_RELEASED_METRIC = 'SeatsReleasedBySweeper';

const metrics = new Metrics({
  namespace: SEAT_METRICS_NAMESPACE,
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'roster',
});

/** A recount's drift, absolute (the org id as metadata, not a dimension: one alarm for every org). */
export function reportSeatDrift(orgId: string, drift: number): void {
  metrics.addMetadata('orgId', orgId);
  metrics.addMetric(SEAT_DRIFT_METRIC, MetricUnit.Count, Math.abs(drift));
  metrics.publishStoredMetrics();
}

/** Seats a sweep gave back for dead owners: some now and then is a crash; a steady flow is a bug. */
export function reportSeatsReleased(seats: number): void {
  metrics.addMetric(SEATS_RELEASED_METRIC, MetricUnit.Count, seats);
  metrics.publishStoredMetrics();
}
