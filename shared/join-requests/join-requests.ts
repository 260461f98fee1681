import { auditStep, type AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { joinRequestListPartition } from '../data/keys.js';
import { queryPage, type Page } from '../data/pagination.js';
import { put, transactWrite, type TransactionStep } from '../data/transactions.js';
import { ConflictError, ForbiddenError, SeatLimitReachedError, TooManyRequestsError } from '../errors.js';
import { newMembership, withRole, type Membership } from '../members/membership.js';
import { counterDelta, membershipWriteSteps, orgCountersStep } from '../members/membership-steps.js';
import type { Org } from '../orgs/org.js';
import { assignableRole } from '../roles/assign-role.js';
import { MEMBER_ROLE, type CustomRoles, type Role } from '../roles.js';
import type { User } from '../users/user.js';
import {
  emailDomainAllowed,
  joinRequestFromItem,
  joinRequestToItem,
  joinRequestView,
  type JoinRequest,
} from './join-request.js';
import { getJoinRequest, readJoinTarget, writeNoJoinRequest } from './join-request-repository.js';
import type { ListJoinRequestsQuery } from './schemas.js';

/** After a rejection, the person may ask the same org again only this much later. */
export const JOIN_REQUEST_COOLDOWN_MS = 24 * 60 * 60 * 1000;

/**
 * A new request may replace no request, an approved one (the person has left since), or one
 * rejected at least a cooldown ago: a refused person cannot put themselves before the admins again at once.
 */
const createCondition = (now: Date) => ({
  expression: 'attribute_not_exists(PK) OR #status = :approved OR (#status = :rejected AND decidedAt <= :cooledDown)',
  names: { '#status': 'status' },
  values: {
    ':approved': 'approved',
    ':rejected': 'rejected',
    ':cooledDown': new Date(now.getTime() - JOIN_REQUEST_COOLDOWN_MS).toISOString(),
  },
});

/** Why the create condition failed: a request still pending, or a rejection too recent to ask again. */
const cannotAskNow = (now: Date) => (current: Record<string, unknown> | undefined) => {
  if (current?.status === 'rejected' && typeof current.decidedAt === 'string') {
    const retryAfterSeconds = Math.max(
      1,
      Math.ceil((Date.parse(current.decidedAt) + JOIN_REQUEST_COOLDOWN_MS - now.getTime()) / 1000),
    );
    return new TooManyRequestsError(
      'Your last request was rejected; you may ask again after the cooldown',
      'join_request_cooldown',
      retryAfterSeconds,
    );
  }
  return new AlreadyAskedError();
};

/** A request of this person's is pending already: asking again is answered as the first ask was. */
class AlreadyAskedError extends ConflictError {
  constructor() {
    super('You already asked to join; an admin will decide', 'join_request_pending');
  }
}
const notPending = (status: string) =>
  new ConflictError(`The request is ${status}, not pending`, 'join_request_not_pending');

/** The membership a join request turns into, holding `role` (already checked against the org's roles). */
function membershipFor(request: JoinRequest, role: Role, customRoles: CustomRoles, now: Date): Membership {
  return withRole(
    newMembership(
      {
        orgId: request.orgId,
        userId: request.userId,
        name: request.name,
        email: request.email,
        role,
        teamId: null,
        source: 'join_request',
      },
      now,
    ),
    role,
    customRoles,
  );
}

const pendingCondition = {
  expression: '#status = :pending',
  names: { '#status': 'status' },
  values: { ':pending': 'pending' },
};

/**
 * What approving adds to the request's own write: the membership, its seat, its role's holder
 * count (conditioned on the role still being as read) and its audit event.
 */
function approvalSteps(
  db: Database,
  request: JoinRequest,
  role: Role,
  customRoles: CustomRoles,
  audit: AuditContext,
): TransactionStep[] {
  const membership = membershipFor(request, role, customRoles, audit.now);
  return [
    ...membershipWriteSteps(db, membership, 'new'),
    orgCountersStep(db, request.orgId, counterDelta(undefined, membership)),
    auditStep(
      db,
      {
        orgId: request.orgId,
        action: 'member.added',
        target: { type: 'member', id: request.userId },
        after: {
          email: membership.email,
          name: membership.name,
          role: membership.role,
          status: 'active',
          source: 'join_request',
        },
      },
      audit,
    ),
  ].filter((s): s is TransactionStep => s !== undefined);
}

const decisionAudit = (db: Database, request: JoinRequest, decided: JoinRequest, audit: AuditContext) =>
  auditStep(
    db,
    {
      orgId: request.orgId,
      action: `join_request.${decided.status}`,
      target: { type: 'member', id: request.userId },
      before: { status: request.status },
      after: { status: decided.status },
    },
    audit,
  );

/**
 * A signed-in person asks to join an org. The answer (202, no body) is the same whether the org
 * exists or not, accepts the person's email domain or not, already holds their pending request,
 * or takes them at once (autoActivation): org ids cannot be probed. Each of those paths costs one
 * BatchGetItem and one TransactWriteItems (writing nothing where nothing is recorded). Told apart
 * are only what the caller knows already: their own membership (409) and an admin's rejection of
 * their own request within the cooldown (429 with Retry-After).
 *
 * Recorded: one pending request per person and org; with autoActivation it is approved at once
 * and the person is an active member, all in one transaction; an org out of seats keeps the
 * request pending for its admins instead.
 */
export async function requestToJoin(
  db: Database,
  orgId: string,
  user: User | undefined,
  audit: AuditContext,
): Promise<void> {
  if (!user) throw new ForbiddenError('Only people Roster knows may ask to join an organization', 'unknown_user');
  const { org, membership } = await readJoinTarget(db, orgId, user.userId);
  if (org && membership) throw new ConflictError('You are already a member of this organization', 'already_member');
  if (!org || !emailDomainAllowed(user.email, org.settings.allowedEmailDomains)) {
    await writeNoJoinRequest(db, orgId, user.userId);
    return;
  }
  const now = audit.now.toISOString();
  const request: JoinRequest = {
    orgId,
    userId: user.userId,
    email: user.email,
    name: user.name,
    status: 'pending',
    createdAt: now,
    decidedAt: null,
    decidedBy: null,
  };
  const requested = auditStep(
    db,
    { orgId, action: 'join_request.created', target: { type: 'member', id: user.userId } },
    audit,
  );
  const recordPending = () =>
    transactWrite(db, [
      put(db, joinRequestToItem(request), createCondition(audit.now), cannotAskNow(audit.now)),
      requested,
    ]);
  try {
    if (!org.settings.autoActivation) return await recordPending();
    // Written once, already approved, under the same create condition.
    const approved: JoinRequest = { ...request, status: 'approved', decidedAt: now, decidedBy: 'autoActivation' };
    const system: AuditContext = { ...audit, actor: { type: 'system', id: 'autoActivation' } };
    await transactWrite(db, [
      put(db, joinRequestToItem(approved), createCondition(audit.now), cannotAskNow(audit.now)),
      requested,
      decisionAudit(db, request, approved, system),
      // Asking never picks one's role: autoActivation makes members.
      ...approvalSteps(db, request, MEMBER_ROLE, org.customRoles, system),
    ]).catch((error: unknown) => {
      // No seat to join into: the admins decide once one is free, as without autoActivation.
      if (error instanceof SeatLimitReachedError) return recordPending();
      throw error;
    });
  } catch (error) {
    if (error instanceof AlreadyAskedError) return;
    throw error;
  }
}

/**
 * An admin approves (the person becomes an active member with `role`, default member, needing a
 * seat) or rejects a pending request. The role is one of the org's (400 naming `role`) that the
 * actor may give (403 role_escalation).
 */
export async function decideJoinRequest(
  db: Database,
  org: Pick<Org, 'orgId' | 'customRoles'>,
  userId: string,
  decision: { status: 'approved'; role?: Role } | { status: 'rejected' },
  actor: Membership | undefined,
  audit: AuditContext,
) {
  const { orgId } = org;
  const role = decision.status === 'approved' ? (decision.role ?? MEMBER_ROLE) : undefined;
  if (role !== undefined) assignableRole(org.customRoles, actor, role);
  const request = await getJoinRequest(db, orgId, userId);
  if (request.status !== 'pending') throw notPending(request.status);
  const decided: JoinRequest = {
    ...request,
    status: decision.status,
    decidedAt: audit.now.toISOString(),
    decidedBy: audit.actor.id,
  };
  await transactWrite(db, [
    put(db, joinRequestToItem(decided), pendingCondition, (current) => notPending(String(current?.status ?? 'gone'))),
    decisionAudit(db, request, decided, audit),
    ...(role !== undefined ? approvalSteps(db, request, role, org.customRoles, audit) : []),
  ]);
  return joinRequestView(decided);
}

/** One page of an org's join requests of one status, newest first. */
export async function listJoinRequests(
  db: Database,
  orgId: string,
  query: ListJoinRequestsQuery,
): Promise<Page<ReturnType<typeof joinRequestView>>> {
  const page = await queryPage(db, {
    index: 'GSI1',
    partition: joinRequestListPartition(orgId, query.status),
    forward: false,
    limit: query.limit,
    cursor: query.cursor,
  });
  return { items: page.items.map((i) => joinRequestView(joinRequestFromItem(i))), nextCursor: page.nextCursor };
}
