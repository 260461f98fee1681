import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/audit/operations.js';
import { listAuditEvents } from '../../shared/audit/list-audit-events.js';

/** GET /v1/orgs/{orgId}/audit-events: one page of the trail, newest first, served by one Query. */
export const handler = operationHandler(operations.listAuditEvents, async ({ params, query, deps }) => ({
  status: 200,
  body: await listAuditEvents(deps.db, params.orgId, query),
}));
