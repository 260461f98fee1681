import type { AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { userKey, webhookEventKey } from '../data/keys.js';
import { check, put, transactWrite, update, type TransactionStep } from '../data/transactions.js';
import { ConcurrentModificationError, ConflictError, NotFoundError } from '../errors.js';
import type { StatusChangeDeps } from '../members/change-member-status.js';
import { signOutEverywhere } from '../members/end-access.js';
import type { Membership, MembershipStatus } from '../members/membership.js';
import { getMembership, listMembershipsOfUser } from '../members/membership-repository.js';
import { idpMemberChangeSteps, statusForIdp } from '../scim/idp-member-steps.js';
import { orgManagesAccount, type AccountFacts, type ManagingOrg } from '../users/account-management.js';
import { userFromItem } from '../users/user-repository.js';
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
 * replay marker, the user's claims and the org come from the delivery's first read
 * (WebhookLookup); then one Query of the user's memberships (this one, and whether another
 * active one remains) and ONE transaction: replay marker, membership, org counters, session end
 * and audit event. Whether the account's sessions end turns on facts of the user record that
 * is not read (accountSessionStep): the transaction holds it to them, and only when they were
 * not as assumed does a second attempt run, with the record its failure returned.
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
  let read: { current: Membership | undefined; memberships: Membership[] } | undefined;
  // The user record's facts, once a failed attempt returned them (null: there is no record).
  let account: AccountRecord | null | undefined;
  for (let attempt = 1; ; attempt++) {
    // The index read may lag a write by a moment: a retry reads the membership strongly.
    read ??= await readMemberships(db, orgId, userId, attempt > 1);
    const { current, memberships } = read;
    if (!current) throw unknownUser();
    const sessions = accountSessionStep(db, lookup.org, current, memberships, account, audit.now);
    const change = idpMemberChangeSteps(
      db,
      current,
      { name: current.name, status: statusForIdp(current.status, ACTIVE[event.action]) },
      sessions.step,
      audit,
    );
    // The marker first: when it fails with another step, the duplicate is the answer.
    const steps: TransactionStep[] = [replayStep(db, orgId, event, audit.now), ...change.steps];
    try {
      await transactWrite(db, steps);
    } catch (error) {
      if (error instanceof DuplicateEventError) return duplicate();
      if (error instanceof AccountFactsError && attempt < ATTEMPTS) {
        account = error.current ? userFromItem(error.current) : null;
        continue;
      }
      if (error instanceof ConcurrentModificationError && attempt < ATTEMPTS) {
        read = undefined;
        continue;
      }
      throw error;
    }
    if (change.steps.length === 0)
      return { ...base, outcome: 'unchanged', userId, status: current.status, duplicate: false };
    if (sessions.ends && current.status === 'active') await signOutEverywhere(deps.identity, userId);
    return { ...base, outcome: 'changed', userId, status: change.membership.status, duplicate: false };
  }
}

/** The user's memberships (one Query of an index) and this org's among them, or read strongly when `fresh`. */
async function readMemberships(
  db: Database,
  orgId: string,
  userId: string,
  fresh: boolean,
): Promise<{ current: Membership | undefined; memberships: Membership[] }> {
  const memberships = await listMembershipsOfUser(db, userId);
  const indexed = fresh ? undefined : memberships.find((m) => m.orgId === orgId);
  return { current: indexed ?? (await getMembership(db, orgId, userId)), memberships };
}

/** The user record's facts the account rule reads. */
type AccountRecord = Pick<AccountFacts, 'email' | 'platformOperator' | 'createdByOrgId'>;

/** The user record was not as the transaction assumed (`current`: as it is; undefined: there is none). */
class AccountFactsError extends ConcurrentModificationError {
  constructor(readonly current: Record<string, unknown> | undefined) {
    super();
  }
}

/**
 * Whether the membership's leaving `active` ends every session of the account (end-access.ts's
 * rule: no other active membership remains and the org manages the account), and the step that
 * carries the decision. Without the user record's facts, they are assumed (the membership's
 * address, no platform operator, created by this org: a person the org's IdP provisioned), and
 * the step holds the transaction to them: the session end itself, or a ConditionCheck when the
 * sessions stay. Facts that differ fail it with AccountFactsError, carrying the record.
 */
function accountSessionStep(
  db: Database,
  org: ManagingOrg | undefined,
  current: Membership,
  memberships: readonly Membership[],
  known: AccountRecord | null | undefined,
  now: Date,
): { ends: boolean; step?: TransactionStep } {
  const { orgId, userId } = current;
  if (memberships.some((m) => m.orgId !== orgId && m.status === 'active')) return { ends: false };
  if (!org || known === null) return { ends: false };
  const facts: AccountRecord = known ?? { email: current.email, platformOperator: false, createdByOrgId: orgId };
  const ends = orgManagesAccount(org, { ...facts, orgIds: [...new Set([orgId, ...memberships.map((m) => m.orgId)])] });
  const held = {
    key: userKey(userId),
    condition: [
      'attribute_exists(PK)',
      'email = :email',
      facts.platformOperator
        ? 'platformOperator = :true'
        : '(attribute_not_exists(platformOperator) OR platformOperator <> :true)',
      facts.createdByOrgId === null
        ? '(attribute_not_exists(createdByOrgId) OR attribute_type(createdByOrgId, :nullType))'
        : 'createdByOrgId = :createdBy',
    ].join(' AND '),
    values: {
      ':email': facts.email,
      ':true': true,
      ...(facts.createdByOrgId === null ? { ':nullType': 'NULL' } : { ':createdBy': facts.createdByOrgId }),
    },
  };
  const failed = (item: Record<string, unknown> | undefined) => new AccountFactsError(item);
  if (!ends) return { ends, step: check(db, held, failed) };
  return {
    ends,
    step: update(
      db,
      {
        ...held,
        updateExpression: 'SET sessionsRevokedAt = :now',
        values: { ...held.values, ':now': now.toISOString() },
      },
      failed,
    ),
  };
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
