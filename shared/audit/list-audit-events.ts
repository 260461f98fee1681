import type { Database } from '../data/dynamo-client.js';
import { auditIndex, auditIndexPartition, auditPartition, auditSortKeyRange } from '../data/keys.js';
import { queryPage, type Page, type PageQuery } from '../data/pagination.js';
import { ValidationError } from '../errors.js';
import type { AuditEvent } from './audit-event.js';
import type { ListAuditEventsQuery } from './schemas.js';

export const SUPPORTED_AUDIT_FILTERS =
  'no filter, or exactly one of action, actorId or targetId; any of them with from and/or to';

const FILTERS = ['action', 'actorId', 'targetId'] as const;

/**
 * Chooses the partition (table or audit index) that serves an audit-trail request as one
 * Query, newest first, with from/to as a sort-key range; refuses combined filters, which no
 * key serves without reading and discarding most of the trail.
 */
export function planAuditQuery(orgId: string, query: ListAuditEventsQuery): Omit<PageQuery, 'limit' | 'cursor'> {
  const filters = FILTERS.filter((f) => query[f] !== undefined);
  if (filters.length > 1) {
    throw new ValidationError([
      {
        field: `query.${filters[1]}`,
        message: `cannot be combined with ${filters[0]}; supported: ${SUPPORTED_AUDIT_FILTERS}`,
      },
    ]);
  }
  if (query.from !== undefined && query.to !== undefined && query.from > query.to) {
    throw new ValidationError([{ field: 'query.to', message: 'must not be before from' }]);
  }
  const range =
    query.from !== undefined || query.to !== undefined
      ? { sortKey: { between: auditSortKeyRange(query.from, query.to) } }
      : {};
  const base = { ...range, forward: false };
  if (query.action !== undefined)
    return { index: auditIndex.action, partition: auditIndexPartition.action(orgId, query.action), ...base };
  if (query.actorId !== undefined)
    return { index: auditIndex.actor, partition: auditIndexPartition.actor(orgId, query.actorId), ...base };
  if (query.targetId !== undefined)
    return { index: auditIndex.target, partition: auditIndexPartition.target(orgId, query.targetId), ...base };
  return { partition: auditPartition(orgId), ...base };
}

/** An audit event as the API shows it (the stored event minus its keys). */
export function auditEventView(item: Record<string, unknown>) {
  const event = item as unknown as AuditEvent;
  return {
    eventId: event.eventId,
    timestamp: event.timestamp,
    actor: event.actor,
    action: event.action,
    target: event.target ?? null,
    before: event.before ?? null,
    after: event.after ?? null,
    ip: event.ip ?? null,
    userAgent: event.userAgent ?? null,
    requestId: event.requestId ?? null,
  };
}

/** One page of an org's audit trail, newest first, in one Query reading at most limit+1 items. */
export async function listAuditEvents(
  db: Database,
  orgId: string,
  query: ListAuditEventsQuery,
): Promise<Page<ReturnType<typeof auditEventView>>> {
  const page = await queryPage(db, { ...planAuditQuery(orgId, query), limit: query.limit, cursor: query.cursor });
  return { items: page.items.map(auditEventView), nextCursor: page.nextCursor };
}
