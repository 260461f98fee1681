import { auditStep, type AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { pendingInvitationClaimKey } from '../data/keys.js';
import { getMembership } from '../data/membership-repository.js';
import { findUserIdByEmail } from '../data/user-repository.js';
import { put, transactWrite, type TransactionStep } from '../data/transactions.js';
import { ConflictError, SeatLimitReachedError, ValidationError } from '../errors.js';
import { newId } from '../ids.js';
import { teamExistsStep } from '../members/add-member.js';
import { orgCountersStep } from '../members/membership-steps.js';
import type { Org } from '../orgs/org.js';
import { getTeam } from '../teams/team-repository.js';
import { parseEmailList } from './email-list.js';
import { expiryFrom, invitationView, type Invitation, type InvitationView } from './invitation.js';
import { invitationToItem } from './invitation-repository.js';
import { invitationTokenSteps, issueInvitationToken } from './invitation-token.js';
import type { CreateInvitationsInput, RefusalCode } from './schemas.js';

export interface CreateInvitationsDeps {
  db: Database;
  appUrl: string;
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

/**
 * Invites each address of the list: a pending invitation holding a seat, with its mail queued,
 * or a refusal saying why; one address never fails the others. Each invitation is its own
 * transaction (seat, pending claim, invitation, token, mail, audit), run one after another so
 * a request's own invitations do not contend for the org item.
 */
export async function createInvitations(deps: CreateInvitationsDeps, org: Org, inviter: Inviter, input: CreateInvitationsInput, audit: AuditContext): Promise<CreateInvitationsResult> {
  const { db } = deps;
  const list = parseEmailList(input.emails);
  const teamId = input.teamId ?? null;
  if (teamId && !(await getTeam(db, org.orgId, teamId))) throw new ValidationError([{ field: 'teamId', message: 'is not a team of this organization' }]);

  const result: CreateInvitationsResult = { created: [], refused: list.invalid.map((email) => ({ email, code: 'invalid_email', detail: 'is not an email address' })) };
  for (const email of list.valid) {
    const outcome = await inviteOne(deps, org, { email, role: input.role, teamId, message: input.message || null, inviter }, audit);
    if ('code' in outcome) result.refused.push(outcome);
    else result.created.push(invitationView(outcome));
  }
  return result;
}

interface OneInvitation {
  email: string;
  role: Invitation['role'];
  teamId: string | null;
  message: string | null;
  inviter: Inviter;
}

async function inviteOne(deps: CreateInvitationsDeps, org: Org, request: OneInvitation, audit: AuditContext): Promise<Invitation | Refusal> {
  const { db } = deps;
  const { email } = request;
  const userId = await findUserIdByEmail(db, email);
  if (userId && (await getMembership(db, org.orgId, userId))) return { email, code: 'already_member', detail: `${email} is already a member` };

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
    tokenHash: issued.tokenHash,
    acceptedBy: null,
    version: 1,
  };
  const steps = [
    put(db, { ...pendingInvitationClaimKey(org.orgId, email), entity: PENDING_INVITE_ENTITY, orgId: org.orgId, email, invitationId: invitation.invitationId }, 'attribute_not_exists(PK)', () => new ConflictError(`${email} already has a pending invitation`, 'already_invited')),
    orgCountersStep(db, org.orgId, { seats: 1, admins: 0, members: 0 }),
    invitation.teamId ? teamExistsStep(db, org.orgId, invitation.teamId) : undefined,
    put(db, invitationToItem(invitation), 'attribute_not_exists(PK)'),
    ...invitationTokenSteps(db, invitation, issued, { orgName: org.name, appUrl: deps.appUrl, now: audit.now }),
    auditStep(db, { orgId: org.orgId, action: 'invitation.created', target: { type: 'invitation', id: invitation.invitationId }, after: { email, role: invitation.role, teamId: invitation.teamId, expiresAt: invitation.expiresAt } }, audit),
  ].filter((s): s is TransactionStep => s !== undefined);
  try {
    await transactWrite(db, steps);
    return invitation;
  } catch (error) {
    if (error instanceof SeatLimitReachedError) return { email, code: 'seat_limit_reached', detail: error.message };
    if (error instanceof ConflictError && error.code === 'already_invited') return { email, code: 'already_invited', detail: error.message };
    throw error;
  }
}

/** The inviter as the caller's records name them (membership name first: it is what the org calls them). */
export function inviterOf(caller: { userId: string; user?: { email: string; name: string } | undefined; membership?: { email: string; name: string } | undefined }): Inviter {
  return { userId: caller.userId, email: caller.user?.email ?? caller.membership?.email ?? '', name: caller.membership?.name ?? caller.user?.name ?? null };
}
