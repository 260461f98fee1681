import type { AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { webhookEventKey } from '../data/keys.js';
import { put, transactWrite, type TransactionStep } from '../data/transactions.js';
import { ConcurrentModificationError, ConflictError, NotFoundError } from '../errors.js';
import type { StatusChangeDeps } from '../members/change-member-status.js';
import { readLeavingMembership, signOutEverywhere } from '../members/end-access.js';
import type { MembershipStatus } from '../members/membership.js';
import { idpMemberChangeSteps, statusForIdp } from '../scim/idp-member-steps.js';
import type { WebhookLookup } from './webhook-lookup.js';

/** How long a delivered event id is remembered: far beyond any IdP's retry schedule. */
export const REPLAY_WINDOW_HOURS = 24;
const WEBHOOK_EVENT_ENTITY = 'webhookEvent';
/** Attempts when a concurrent change to the same member beat ours (or the index read was stale). */
const ATTEMPTS = 3;

export type LifecycleAction = 'deprovision' | 'reactivate';

/** One IdP lifecycle event, whichever form it arrived in. */
export interface LifecycleEvent {
  /** Replay id, unique within the org (Okta's carry an `okta:` prefix). */
  eventId: string;
  /** The event type as the IdP named it. */
  type: string;
  action: LifecycleAction;
  user: { email?: string | undefined; externalId?: string | undefined };
}

export interface LifecycleOutcome {
  eventId: string;
  type: string;
  /** changed; unchanged (already so); duplicate (id seen before); ignored (type not mapped); refused (a 4xx). */
  outcome: 'changed' | 'unchanged' | 'duplicate' | 'ignored' | 'refused';
  userId: string | null;
  status: MembershipStatus | null;
  duplicate: boolean;
  code?: string;
  detail?: string;
}

/** The replay record's condition failed: the same event id committed first. */
class DuplicateEventError extends ConflictError {
  constructor() {
    super('This event id was already processed', 'duplicate_event');
  }
}

const ACTIVE: Record<LifecycleAction, boolean> = { deprovision: false, reactivate: true };

/**
 * Applies one IdP lifecycle event to the org's member with the rules of the member API's
 * status change (seats, last-admin protection, sessions ended at once). Round trips: the
 * replay marker and the user's claims come from the delivery's first read (WebhookLookup);
 * then one Query of the user's memberships (this one, and whether another active one remains)
 * and ONE transaction: replay marker, membership, org counters, session end and audit event.
 * A redelivery after success is a no-op and a failed change records nothing; of concurrent
 * deliveries of one id, exactly one changes anything (the marker's condition).
 * A member an admin suspended is left to the admin: the IdP neither lifts nor relabels it.
 */
export async function applyLifecycleEvent(
  deps: StatusChangeDeps,
  lookup: WebhookLookup,
  orgId: string,
  event: LifecycleEvent,
  audit: AuditContext,
): Promise<LifecycleOutcome> {
  const { db } = deps;
  const base = { eventId: event.eventId, type: event.type };
  const duplicate = (): LifecycleOutcome => ({
    ...base,
    outcome: 'duplicate',
    userId: null,
    status: null,
    duplicate: true,
  });
  if (await lookup.replayed(event.eventId)) return duplicate();

  const userId = await lookup.userIdOf(event.user);
  const unknownUser = () =>
    new NotFoundError('No member of this organization matches the event’s user', 'unknown_user');
  if (!userId) throw unknownUser();
  for (let attempt = 1; ; attempt++) {
    // The index read may lag a write by a moment: a retry reads the membership strongly.
    const { current, sessionEnd } = await readLeavingMembership(db, orgId, userId, audit.now, attempt > 1);
    if (!current) throw unknownUser();
    const change = idpMemberChangeSteps(
      db,
      current,
      { name: current.name, status: statusForIdp(current.status, ACTIVE[event.action]) },
      sessionEnd,
      audit,
    );
    // The marker first: when it fails with another step, the duplicate is the answer.
    const steps: TransactionStep[] = [replayStep(db, orgId, event, audit.now), ...change.steps];
    try {
      await transactWrite(db, steps);
    } catch (error) {
      if (error instanceof DuplicateEventError) return duplicate();
      if (error instanceof ConcurrentModificationError && attempt < ATTEMPTS) continue;
      throw error;
    }
    if (change.steps.length === 0)
      return { ...base, outcome: 'unchanged', userId, status: current.status, duplicate: false };
    if (sessionEnd && current.status === 'active') await signOutEverywhere(deps.identity, userId);
    return { ...base, outcome: 'changed', userId, status: change.membership.status, duplicate: false };
  }
}

function replayStep(db: Database, orgId: string, event: LifecycleEvent, now: Date): TransactionStep {
  const item = {
    ...webhookEventKey(orgId, event.eventId),
    entity: WEBHOOK_EVENT_ENTITY,
    orgId,
    eventId: event.eventId,
    type: event.type,
    receivedAt: now.toISOString(),
    ttl: Math.floor(now.getTime() / 1000) + REPLAY_WINDOW_HOURS * 3600,
  };
  return put(db, item, 'attribute_not_exists(PK)', () => new DuplicateEventError());
}
