import { listAuditEvents } from '../../shared/audit/list-audit-events.js';
import { listAuditEventsQuery } from '../../shared/audit/schemas.js';
import { httpHandler } from '../../shared/http/handler.js';
import { orgPathParams } from '../../shared/schemas.js';

/** GET /v1/orgs/{orgId}/audit-events: one page of the trail, newest first, served by one Query. */
export const handler = httpHandler(
  { auth: { kind: 'orgMember', permission: 'audit:read' }, params: orgPathParams, query: listAuditEventsQuery },
  async ({ params, query, db }) => ({ status: 200, body: await listAuditEvents(db, params.orgId, query) }),
);
