import type { OperationDoc } from '../http/operation-doc.js';
import { orgPathParams } from '../schemas.js';
import { auditEventPage, listAuditEventsQuery } from './schemas.js';

export const auditOperations: OperationDoc[] = [
  {
    method: 'get',
    path: '/v1/orgs/{orgId}/audit-events',
    summary: 'The audit trail, newest first; one of action, actorId, targetId, with an optional from/to range',
    auth: 'bearer',
    params: orgPathParams,
    query: listAuditEventsQuery,
    response: { status: 200, schema: auditEventPage },
  },
];
