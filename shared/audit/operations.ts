import type { Operation } from '../operation.js';
import { orgPathParams } from '../schemas.js';
import { auditEventPage, listAuditEventsQuery } from './schemas.js';

export const listAuditEvents = {
  method: 'GET',
  handler: 'audit/list-audit-events',
  path: '/v1/orgs/{orgId}/audit-events',
  summary: 'The audit trail, newest first; one of action, actorId, targetId, with an optional from/to range',
  auth: { kind: 'orgMember', permission: 'audit:read' },
  params: orgPathParams,
  query: listAuditEventsQuery,
  response: { status: 200, schema: auditEventPage },
  grants: { table: { access: 'read', families: ['AUDIT'] } },
} satisfies Operation;

/** The area's operations, in the order the OpenAPI document lists them. */
export const auditOperations = [listAuditEvents];
