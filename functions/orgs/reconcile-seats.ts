import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/orgs/operations.js';
import { reconcileSeats } from '../../shared/seats/reconcile-seats.js';
import { reportSeatDrift } from '../../shared/seats/seat-metrics.js';

/** POST /v1/orgs/{orgId}/seats/reconcile (platform_admin): recount the org's seats, repair drift, report it as a metric. */
export const handler = operationHandler(operations.reconcileSeats, async ({ params, audit, deps }) => {
  const recount = await reconcileSeats(deps.db, params.orgId, audit);
  reportSeatDrift(params.orgId, recount.drift);
  return { status: 200, body: recount };
});
