import * as z from 'zod/mini';
import { pageQuery } from '../data/pagination.js';

/** Actions are dotted lower-case names such as `member.added` or `api_key.revoked`. */
const auditAction = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(100),
    z.regex(/^[a-z][a-z_]*(\.[a-z_]+)*$/, 'must be an action such as member.added'),
  );

/** User ids, machine actor ids (`scim`, `system` …) and resource ids. */
const principalId = z.string().check(z.minLength(1), z.maxLength(128), z.regex(/^[A-Za-z0-9._:@-]+$/, 'must be an id'));

/**
 * An ISO-8601 date-time with a zone, normalized to the UTC millisecond form events are
 * stored under, so it compares with their sort keys as text.
 */
const instant = z.pipe(
  z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time with a zone, e.g. 2026-01-31T12:00:00Z' }),
  z.transform((value) => new Date(value).toISOString()),
);

export const listAuditEventsQuery = z.strictObject({
  ...pageQuery,
  action: z.optional(auditAction),
  actorId: z.optional(principalId),
  targetId: z.optional(principalId),
  from: z.optional(instant),
  to: z.optional(instant),
});
export type ListAuditEventsQuery = z.infer<typeof listAuditEventsQuery>;

const actor = z.object({
  type: z.enum(['user', 'scim', 'webhook', 'api_key', 'sso', 'system']),
  id: z.string(),
  email: z.optional(z.nullable(z.string())),
});
const fields = z.nullable(z.record(z.string(), z.unknown()));

export const auditEventResponse = z.object({
  eventId: z.string(),
  timestamp: z.string(),
  actor,
  action: z.string(),
  target: z.nullable(z.object({ type: z.string(), id: z.string() })),
  before: fields,
  after: fields,
  ip: z.nullable(z.string()),
  userAgent: z.nullable(z.string()),
  requestId: z.nullable(z.string()),
});
export const auditEventPage = z.object({ items: z.array(auditEventResponse), nextCursor: z.nullable(z.string()) });
