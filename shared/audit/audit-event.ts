import { auditEventKey, auditIndexKeys } from '../data/keys.js';
import type { Database } from '../data/dynamo-client.js';
import { put, type TransactionStep } from '../data/transactions.js';
import type { DomainError } from '../errors.js';
import { newId } from '../ids.js';

/** Who did it: a signed-in user, or one of the machine actors. */
export type Actor =
  | { type: 'user'; id: string; email: string | null }
  | { type: 'scim'; id: string }
  | { type: 'webhook'; id: string }
  | { type: 'api_key'; id: string }
  /** A federated sign-in through an SSO connection (id: the connection's id). */
  | { type: 'sso'; id: string }
  | { type: 'system'; id: string };

/** Where the request came from; every audit event carries it. */
export interface RequestOrigin {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export interface AuditContext extends RequestOrigin {
  actor: Actor;
  /** The instant the change happens; one clock reading per request. */
  now: Date;
}

export interface AuditChange {
  orgId: string;
  action: string;
  target: { type: string; id: string } | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

export interface AuditEvent extends AuditChange, RequestOrigin {
  eventId: string;
  timestamp: string;
  actor: Actor;
}

export const AUDIT_ENTITY = 'auditEvent';

/**
 * A fixed event id (with a stable `now`) makes the event's put a done-marker: audit events are
 * never deleted, so a retried change finds its event and `onExists` says it already happened.
 */
export interface AuditStepOptions {
  eventId?: string;
  onExists?: () => DomainError;
}

/**
 * The audit event as one step of the change's own transaction: it is written exactly when
 * the change is, never alone and never missing.
 */
export function auditStep(
  db: Database,
  change: AuditChange,
  context: AuditContext,
  options: AuditStepOptions = {},
): TransactionStep {
  const eventId = options.eventId ?? newId();
  const timestamp = context.now.toISOString();
  const event: AuditEvent = {
    eventId,
    timestamp,
    orgId: change.orgId,
    action: change.action,
    target: change.target,
    before: change.before ?? null,
    after: change.after ?? null,
    actor: context.actor,
    ip: context.ip,
    userAgent: context.userAgent,
    requestId: context.requestId,
  };
  const keys = auditIndexKeys({
    orgId: change.orgId,
    eventId,
    timestamp,
    action: change.action,
    actorId: context.actor.id,
    targetId: change.target?.id ?? null,
  });
  return put(
    db,
    { ...auditEventKey(change.orgId, timestamp, eventId), ...keys, entity: AUDIT_ENTITY, ...event },
    'attribute_not_exists(PK)',
    options.onExists,
  );
}

/** Only the fields that differ, as {before, after}; empty when nothing changed. */
export function diffFields<T extends object>(
  before: T,
  after: Partial<T>,
): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(after)) {
    const old = (before as Record<string, unknown>)[field];
    if (JSON.stringify(old) !== JSON.stringify(value)) {
      b[field] = old ?? null;
      a[field] = value;
    }
  }
  return { before: b, after: a };
}
