import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { scimExternalIdKey, webhookEventKey } from '../data/keys.js';
import { getMembership } from '../data/membership-repository.js';
import { put, transactWrite, type TransactionStep } from '../data/transactions.js';
import { findUserIdByEmail } from '../data/user-repository.js';
import { ConcurrentModificationError, ConflictError, NotFoundError } from '../errors.js';
import { changeMemberStatus, type StatusChangeDeps } from '../members/change-member-status.js';
import type { MembershipStatus } from '../members/membership.js';

/** How long a delivered event id is remembered: far beyond any IdP's retry schedule. */
export const REPLAY_WINDOW_HOURS = 24;
const WEBHOOK_EVENT_ENTITY = 'webhookEvent';
/** Attempts when a concurrent change to the same member beat ours. */
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

const TARGET: Record<LifecycleAction, MembershipStatus> = { deprovision: 'deprovisioned', reactivate: 'active' };

/**
 * Applies one IdP lifecycle event to the org's member through the same status change admins
 * use (seats, last-admin protection, sessions ended at once). The event id is recorded in the
 * change's own transaction, so a redelivery after success is a no-op and a failed change
 * records nothing; of concurrent deliveries of one id, exactly one changes anything.
 * A member an admin suspended is left to the admin: the IdP neither lifts nor relabels it.
 */
export async function applyLifecycleEvent(deps: StatusChangeDeps, orgId: string, event: LifecycleEvent, audit: AuditContext): Promise<LifecycleOutcome> {
  const { db } = deps;
  const base = { eventId: event.eventId, type: event.type };
  const duplicate = (): LifecycleOutcome => ({ ...base, outcome: 'duplicate', userId: null, status: null, duplicate: true });
  if (await replayRecorded(db, orgId, event.eventId)) return duplicate();

  const userId = await resolveUserId(db, orgId, event.user);
  const to = TARGET[event.action];
  for (let attempt = 1; ; attempt++) {
    const member = userId ? await getMembership(db, orgId, userId) : undefined;
    if (!userId || !member) throw new NotFoundError('No member of this organization matches the event’s user', 'unknown_user');
    const unchanged = async (): Promise<LifecycleOutcome> => {
      // Remember the id all the same, so a redelivery answers `duplicate` like any other.
      try {
        await transactWrite(db, [replayStep(db, orgId, event, audit.now)]);
      } catch (error) {
        if (error instanceof DuplicateEventError) return duplicate();
        throw error;
      }
      return { ...base, outcome: 'unchanged', userId, status: member.status, duplicate: false };
    };
    if (member.status === to || member.status === 'suspended') return unchanged();
    try {
      const changed = await changeMemberStatus(deps, { orgId, userId, to, actor: undefined, extraSteps: [replayStep(db, orgId, event, audit.now)] }, audit);
      return { ...base, outcome: 'changed', userId, status: changed.status, duplicate: false };
    } catch (error) {
      if (error instanceof DuplicateEventError) return duplicate();
      // Lost a race: to a concurrent delivery of this very event, or to another change of the member.
      if (error instanceof ConcurrentModificationError || (error instanceof ConflictError && error.code === `already_${to}`)) {
        if (await replayRecorded(db, orgId, event.eventId)) return duplicate();
        if (attempt < ATTEMPTS) continue;
      }
      throw error;
    }
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

async function replayRecorded(db: Database, orgId: string, eventId: string): Promise<boolean> {
  const { Item } = await db.client.send(new GetCommand({ TableName: db.tableName, Key: webhookEventKey(orgId, eventId), ConsistentRead: true }));
  return Item !== undefined;
}

/** By externalId (the SCIM mapping of this org) first, then by email (platform-wide claim). */
async function resolveUserId(db: Database, orgId: string, user: LifecycleEvent['user']): Promise<string | undefined> {
  if (user.externalId) {
    const { Item } = await db.client.send(new GetCommand({ TableName: db.tableName, Key: scimExternalIdKey(orgId, user.externalId), ConsistentRead: true }));
    if (typeof Item?.userId === 'string') return Item.userId;
  }
  return user.email ? findUserIdByEmail(db, user.email) : undefined;
}
