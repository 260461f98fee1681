import { httpHandler } from '../../shared/http/handler.js';
import { orgPathParams } from '../../shared/schemas.js';
import { reconcileSeats } from '../../shared/seats/reconcile-seats.js';
import { reportSeatDrift } from '../../shared/seats/seat-metrics.js';

/** POST /v1/orgs/{orgId}/seats/reconcile (platform_admin): recount the org's seats, repair drift, report it as a metric. */
export const handler = httpHandler(
  { auth: { kind: 'platformAdmin' }, params: orgPathParams },
  async ({ params, db, audit }) => {
    const recount = await reconcileSeats(db, params.orgId, audit);
    reportSeatDrift(params.orgId, recount.drift);
    return { status: 200, body: recount };
  },
);
