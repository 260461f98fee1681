import { auditStep, type AuditContext, type AuditStepOptions } from '../audit/audit-event.js';
import type { Clock } from '../clock.js';
import type { Database } from '../data/dynamo-client.js';
import { put, transactWrite, type TransactionStep } from '../data/transactions.js';
import { ConflictError, SeatLimitReachedError, ValidationError } from '../errors.js';
import { newId } from '../ids.js';
import { mapBounded } from '../concurrency.js';
import { orgCountersStep, teamExistsStep } from '../members/membership-steps.js';
import type { SeatLease } from '../seats/lease.js';
import { endLease, ownerMayWrite, reserveLeasedSeats } from '../seats/seat-lease.js';
import { leaseUseStep } from '../seats/seat-lease-repository.js';
import type { Org } from '../orgs/org.js';
import type { Membership } from '../members/membership.js';
import { assignableRole } from '../roles/assign-role.js';
import { getTeam } from '../teams/team-repository.js';
import { parseEmailList, type EmailList } from './email-list.js';
import { expiryFrom, invitationView, type Invitation, type InvitationView } from './invitation.js';
import { invitationToItem } from './invitation-repository.js';
import { invitationTokenSteps, issueInvitationToken } from './invitation-token.js';
import type { CreateInvitationsInput, RefusalCode } from './schemas.js';
import { pendingInvitationClaimKey } from '../data/keys.js';
import { findExistingPeople } from '../members/existing-people.js';

export interface CreateInvitationsDeps {
  db: Database;
  appUrl: string;
  /** Measures the request's time against its seat lease's deadline. */
  clock: Clock;
}

/** The admin sending the invitations, as the mail and the view name them. */
export interface Inviter {
  userId: string;
  email: string;
  name: string | null;
}

export interface Refusal {
  email: string;
  code: RefusalCode;
  detail: string;
}

export interface CreateInvitationsResult {
  created: InvitationView[];
  refused: Refusal[];
}

export const PENDING_INVITE_ENTITY = 'pendingInvite';

/** Invitation transactions in flight at once: they share no item, so they do not conflict. */
const WRITE_CONCURRENCY = 8;

/**
 * Invites each address of the list: a pending invitation holding a seat, with its mail queued,
 * or a refusal saying why; one address never fails the others.
 *
 * The org item is touched once for the whole batch, not once per address: per-address
 * transactions on the org's seat counter serialize and conflict under load. So: (1) read who
 * is already a member or already invited, in consistent BatchGets; (2) reserve seats for the
 * remaining addresses in one conditional update (possibly fewer than asked: the first ones get
 * them, the rest are refused for the seat limit); (3) write each invitation in its own
 * transaction without the org item (claim, invitation, token, mail, audit), a few at a time;
 * a seat whose write was refused (a race on the pending claim) passes to the next address;
 * (4) release the seats left over. The reservation is a lease (shared/seats/seat-lease.ts):
 * each invitation records its use of a seat in its own transaction, so if this request dies
 * before (4), the seat sweeper gives back exactly the seats no invitation took.
 */
export async function createInvitations(
  deps: CreateInvitationsDeps,
  org: Org,
  inviter: Inviter,
  input: CreateInvitationsInput,
  audit: AuditContext,
  /** The inviter's membership (none for a platform operator): nobody invites to a role holding a permission they lack. */
  actor?: Pick<Membership, 'role'>,
): Promise<CreateInvitationsResult> {
  const { db } = deps;
  assignableRole(org.customRoles, actor, input.role);
  const list = parseEmailList(input.emails);
  const teamId = input.teamId ?? null;
  if (teamId && !(await getTeam(db, org.orgId, teamId)))
    throw new ValidationError([{ field: 'teamId', message: 'is not a team of this organization' }]);

  const refusedBefore = await alreadyThere(db, org.orgId, list.valid);
  const candidates = list.valid.filter((email) => !refusedBefore.has(email));
  const request = { role: input.role, teamId, message: input.message || null, inviter };
  const byEmail = new Map<string, Invitation | Refusal>();
  if (candidates.length === 1) {
    // One address: its seat is a step of its own transaction (one round trip fewer than reserving).
    const [email] = candidates as [string];
    byEmail.set(email, await inviteOne(deps, org, { ...request, email }, audit, 'takeSeat'));
    return answer(list, refusedBefore, byEmail, org.maxSeats);
  }
  const reservation = await reserveLeasedSeats(
    db,
    org.orgId,
    candidates.length,
    org.maxSeats,
    { kind: 'bulk-invite', requestId: audit.requestId, actorId: audit.actor.id },
    audit.now,
  );
  const { lease } = reservation;
  if (!lease) return answer(list, refusedBefore, byEmail, reservation.maxSeats);
  // Seats held and not yet used: a seat whose address lost a race (already invited meanwhile)
  // goes to the next address without one, before what is left is released.
  let held = reservation.granted;
  let next = 0;
  try {
    while (held > 0 && next < candidates.length) {
      // Never reached while API functions time out before the lease's deadline; a guard should that change.
      if (!ownerMayWrite(lease, deps.clock().getTime()))
        throw new Error('The bulk invite ran out of its seat lease; the sweeper releases the rest');
      const round = candidates.slice(next, next + held);
      next += round.length;
      // Every write settles before the seats are counted (and released), even when one throws.
      const outcomes = await mapBounded(round, WRITE_CONCURRENCY, (email) =>
        inviteOne(deps, org, { ...request, email }, audit, lease).catch((error: unknown) => ({ error })),
      );
      held -= outcomes.filter((o) => !('code' in o) && !('error' in o)).length;
      const failure = outcomes.find((o) => 'error' in o);
      if (failure) throw failure.error;
      round.forEach((email, i) => byEmail.set(email, outcomes[i] as Invitation | Refusal));
    }
  } finally {
    // Seats reserved for addresses that got no invitation (refused, or the request failed midway).
    await endLease(db, lease, held);
  }
  return answer(list, refusedBefore, byEmail, reservation.maxSeats);
}

/** The answer in the order the addresses were given: each created, or refused with its reason. */
function answer(
  list: EmailList,
  refusedBefore: Map<string, Refusal>,
  byEmail: Map<string, Invitation | Refusal>,
  maxSeats: number,
): CreateInvitationsResult {
  const seatLimit = new SeatLimitReachedError(maxSeats);
  const result: CreateInvitationsResult = {
    created: [],
    refused: list.invalid.map((email) => ({ email, code: 'invalid_email', detail: 'is not an email address' })),
  };
  for (const email of list.valid) {
    const outcome = refusedBefore.get(email) ??
      byEmail.get(email) ?? { email, code: 'seat_limit_reached', detail: seatLimit.message };
    if ('code' in outcome) result.refused.push(outcome);
    else result.created.push(invitationView(outcome));
  }
  return result;
}

/** Addresses that need no seat: already invited to the org (said first) or already members of it (findExistingPeople). */
async function alreadyThere(db: Database, orgId: string, emails: string[]): Promise<Map<string, Refusal>> {
  const { members, invited } = await findExistingPeople(db, orgId, emails);
  const refusals = new Map<string, Refusal>();
  for (const email of emails) {
    if (invited.has(email))
      refusals.set(email, { email, code: 'already_invited', detail: `${email} already has a pending invitation` });
    else if (members.has(email))
      refusals.set(email, { email, code: 'already_member', detail: `${email} is already a member` });
  }
  return refusals;
}

export interface OneInvitation {
  email: string;
  role: Invitation['role'];
  teamId: string | null;
  message: string | null;
  inviter: Inviter;
}

/**
 * A new pending invitation and the steps that write it (the one-pending-per-email claim, the
 * team check, the invitation, its token and outbox mail, the audit event), without any seat:
 * the caller adds its own seat step, or holds a seat reserved for its batch. `auditAfter`
 * adds fields to the audit event's `after` (an import names itself there); `auditOptions`
 * can make the audit event a done-marker, so it comes first: its refusal is the one reported.
 */
export async function newInvitationSteps(
  db: Database,
  input: {
    org: Org;
    request: OneInvitation;
    appUrl: string;
    audit: AuditContext;
    auditAfter?: Record<string, unknown>;
    auditOptions?: AuditStepOptions;
  },
): Promise<{ invitation: Invitation; steps: TransactionStep[] }> {
  const { org, request, audit } = input;
  const { email } = request;
  const now = audit.now.toISOString();
  const issued = issueInvitationToken();
  const invitation: Invitation = {
    orgId: org.orgId,
    invitationId: newId(),
    email,
    role: request.role,
    teamId: request.teamId,
    message: request.message,
    status: 'pending',
    invitedBy: request.inviter,
    createdAt: now,
    updatedAt: now,
    expiresAt: expiryFrom(audit.now, org.settings.invitationTtlHours),
    delivery: 'queued',
    deliveryAt: now,
    deliveryError: null,
    deliverySendId: newId(),
    tokenHash: issued.tokenHash,
    acceptedBy: null,
    version: 1,
  };
  const steps = [
    auditStep(
      db,
      {
        orgId: org.orgId,
        action: 'invitation.created',
        target: { type: 'invitation', id: invitation.invitationId },
        after: {
          email,
          role: invitation.role,
          teamId: invitation.teamId,
          expiresAt: invitation.expiresAt,
          ...input.auditAfter,
        },
      },
      audit,
      input.auditOptions,
    ),
    put(
      db,
      {
        ...pendingInvitationClaimKey(org.orgId, email),
        entity: PENDING_INVITE_ENTITY,
        orgId: org.orgId,
        email,
        invitationId: invitation.invitationId,
      },
      'attribute_not_exists(PK)',
      () => new ConflictError(`${email} already has a pending invitation`, 'already_invited'),
    ),
    invitation.teamId ? teamExistsStep(db, org.orgId, invitation.teamId) : undefined,
    put(db, invitationToItem(invitation), 'attribute_not_exists(PK)'),
    ...(await invitationTokenSteps(db, invitation, issued, {
      orgName: org.name,
      appUrl: input.appUrl,
      now: audit.now,
    })),
  ].filter((s): s is TransactionStep => s !== undefined);
  return { invitation, steps };
}

/**
 * One invitation in its own transaction: on a seat of the batch's lease (recording its use,
 * without the org item), or taking its seat in the transaction (`takeSeat`, a request of one address).
 */
async function inviteOne(
  deps: CreateInvitationsDeps,
  org: Org,
  request: OneInvitation,
  audit: AuditContext,
  seat: SeatLease | 'takeSeat',
): Promise<Invitation | Refusal> {
  const { db } = deps;
  const { email } = request;
  const { invitation, steps: invitationSteps } = await newInvitationSteps(db, {
    org,
    request,
    appUrl: deps.appUrl,
    audit,
  });
  const seatStep =
    seat === 'takeSeat'
      ? orgCountersStep(db, org.orgId, { seats: 1, admins: 0, members: 0 })
      : leaseUseStep(db, seat, email);
  const steps = seatStep ? [seatStep, ...invitationSteps] : invitationSteps;
  try {
    await transactWrite(db, steps);
    return invitation;
  } catch (error) {
    if (error instanceof SeatLimitReachedError) return { email, code: 'seat_limit_reached', detail: error.message };
    if (error instanceof ConflictError && error.code === 'already_invited')
      return { email, code: 'already_invited', detail: error.message };
    throw error;
  }
}

/** The inviter as the caller's records name them (membership name first: it is what the org calls them). */
export function inviterOf(caller: {
  userId: string;
  user?: { email: string; name: string } | undefined;
  membership?: { email: string; name: string } | undefined;
}): Inviter {
  return {
    userId: caller.userId,
    email: caller.user?.email ?? caller.membership?.email ?? '',
    name: caller.membership?.name ?? caller.user?.name ?? null,
  };
}
