import { auditStep, type AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { transactWrite, type TransactionStep } from '../data/transactions.js';
import { findUserIdByEmail, personSteps } from '../users/user-repository.js';
import { ConcurrentModificationError, ConflictError, NotFoundError } from '../errors.js';
import { validate } from '../validation.js';
import type { IdentityPort } from '../identity/identity-port.js';
import {
  readLeavingMembership,
  sessionEndUnlessActiveElsewhere,
  signOutEverywhere,
  withFreshRetry,
  type KnownAccount,
} from '../members/end-access.js';
import { removeMember } from '../members/remove-member.js';
import { memberRemovalStore } from '../members/member-removal-store.js';
import { newMembership, type Membership } from '../members/membership.js';
import { counterDelta, membershipWriteSteps, orgCountersStep } from '../members/membership-steps.js';
import { replaceMember } from '../members/replace-member.js';
import { replaceMemberStore } from '../members/replace-member-store.js';
import type { Org, ScimDeleteAction } from '../orgs/org.js';
import { displayName, emailAddress } from '../schemas.js';
import { parseFilter } from './filter.js';
import { ScimBadRequestError } from './scim-errors.js';
import { idpMemberChangeSteps, statusForIdp } from './idp-member-steps.js';
import {
  findUserIdByExternalId,
  getScimMembers,
  memberIdsByName,
  membershipCheckStep,
  profileAuditStep,
  profileCheckStep,
  profileIndexBackfillStep,
  profileRemoveSteps,
  profileWriteSteps,
  readScimMemberWithOthers,
  type ScimMember,
} from './scim-user-repository.js';
import { EMPTY_PROFILE, nameOf, userStateOf, type ScimUserProfile, type ScimUserState } from './user-state.js';

export interface ScimUserDeps {
  db: Database;
  identity: IdentityPort;
  /** Base of the email-confirmation link a userName change outside the verified domains mails; without it that change is refused. */
  appUrl?: string;
}

/** Largest page a SCIM list answers, and the furthest it pages by position (see listScimUsers). */
export const MAX_SCIM_COUNT = 100;
export const MAX_SCIM_START_INDEX = 10_000;

const userNotFound = () => new NotFoundError('No such user in this organization', 'scim_user_not_found');

/** The profile part of a state: every attribute of ScimUserProfile, nothing else. */
const profileOf = (s: ScimUserState): ScimUserProfile =>
  Object.fromEntries(
    Object.keys(EMPTY_PROFILE).map((k) => [k, s[k as keyof ScimUserProfile]]),
  ) as unknown as ScimUserProfile;

/** A member the IdP may see: one whose SCIM User it has not deleted (RFC 7644 §3.6). */
const isScimVisible = (member: ScimMember | undefined): member is ScimMember =>
  member !== undefined && member.membership.scimDeleted !== true;

/** Roster's name and email of a SCIM state, checked by the same rules as the member API. */
function memberFieldsOf(state: ScimUserState): { name: string; email: string } {
  return {
    name: validate(displayName, nameOf(state), 'name'),
    email: validate(emailAddress, state.userName, 'userName'),
  };
}

export async function getScimUser(db: Database, orgId: string, userId: string): Promise<ScimMember> {
  const [member] = await getScimMembers(db, orgId, [userId]);
  if (!isScimVisible(member)) throw userNotFound();
  return member;
}

/**
 * Creates a member from a SCIM User in ONE transaction: the membership (role `member`, source
 * `scim`; `active: false` creates it deprovisioned, holding no seat), the user record and email
 * claim of a person new to Roster, the org's counters, the SCIM profile with its externalId
 * claim, and the audit events. A taken userName or externalId fails that transaction's
 * condition (409 `uniqueness`), so a retried create never makes a second member; the IdP then
 * finds the user by filter.
 */
export async function createScimUser(
  deps: ScimUserDeps,
  orgId: string,
  state: ScimUserState,
  audit: AuditContext,
): Promise<ScimMember> {
  const { db } = deps;
  const fields = memberFieldsOf(state);
  // The person Roster knows by this email, or a new user whose identity is created when first needed (lazy identities).
  const holder = await findUserIdByEmail(db, fields.email);
  const [existing] = holder ? await getScimMembers(db, orgId, [holder]) : [];
  if (existing) {
    if (isScimVisible(existing)) throw new ConflictError(`${fields.email} is already a member`, 'already_member');
    return reprovisionScimUser(deps, existing, state, audit);
  }
  const person = personSteps(db, fields, holder, audit.now, orgId);
  const { userId, steps: userSteps } = person;
  const membership = newMembership(
    {
      orgId,
      userId,
      name: fields.name,
      email: person.email,
      role: 'member',
      teamId: null,
      status: state.active ? 'active' : 'deprovisioned',
      source: 'scim',
    },
    audit.now,
  );
  const profile = profileOf(state);
  const profileWrite = profileWriteSteps(db, orgId, userId, { profile: undefined, version: 0 }, profile);
  const added = {
    email: membership.email,
    name: membership.name,
    role: membership.role,
    teamId: membership.teamId,
    status: membership.status,
    source: membership.source,
  };
  const steps = [
    ...membershipWriteSteps(db, membership, 'new'),
    ...userSteps,
    orgCountersStep(db, orgId, counterDelta(undefined, membership)),
    ...profileWrite.steps,
    auditStep(db, { orgId, action: 'member.added', target: { type: 'member', id: userId }, after: added }, audit),
    profileAuditStep(db, orgId, userId, profileWrite, audit),
  ].filter((s): s is TransactionStep => s !== undefined);
  await transactWrite(db, steps);
  return { membership, profile, profileVersion: profileWrite.version };
}

/**
 * POST /Users of a person whose SCIM User the IdP deleted while the org kept the membership:
 * the same membership comes back as a SCIM resource (active again if `active` and a seat is
 * free; an admin's suspension kept), with the profile as posted, in ONE transaction.
 */
async function reprovisionScimUser(
  deps: ScimUserDeps,
  existing: ScimMember,
  state: ScimUserState,
  audit: AuditContext,
): Promise<ScimMember> {
  const { db } = deps;
  const current = existing.membership;
  const fields = memberFieldsOf(state);
  const change = idpMemberChangeSteps(
    db,
    current,
    { name: fields.name, status: statusForIdp(current.status, state.active), scimDeleted: false },
    undefined,
    audit,
  );
  const profile = profileOf(state);
  const profileWrite = profileWriteSteps(
    db,
    current.orgId,
    current.userId,
    { profile: existing.profile, version: existing.profileVersion },
    profile,
  );
  const steps = [
    ...change.steps,
    ...profileWrite.steps,
    profileAuditStep(db, current.orgId, current.userId, profileWrite, audit),
  ].filter((s): s is TransactionStep => s !== undefined);
  await transactWrite(db, steps);
  return { membership: change.membership, profile, profileVersion: profileWrite.version };
}

/** The member a change starts from, and (read with it) the user's other memberships. */
export interface ScimChangeBase {
  member: ScimMember;
  /** Read along when the request may end access; otherwise read only if the change turns out to. */
  others?: Membership[] | undefined;
  /** Read from the index: the transaction then conditions everything read on its version (see readScimMemberWithOthers). */
  indexed: boolean;
}

/** Ends every session in the change's transaction unless the user keeps another active membership. */
/**
 * Moves a member to the state an IdP asked for, in ONE transaction: name and `active` on the
 * membership (false deprovisions: seat freed, sessions of a user left with no active org
 * ended; true reactivates a deprovisioned member if a seat is free; an admin's suspension is
 * kept), the SCIM-only attributes in the profile, and the audit events. Both items are
 * conditioned on the versions read (written, or checked when the read came from the index),
 * so of concurrent writes one wins and the other answers ConcurrentModificationError
 * (changeScimUser re-reads and re-applies). An email (userName) change alone goes first
 * through the member API's replace and its rules: inside a verified domain the platform-wide
 * email claim, the user's other memberships and the identity move together; outside, a managed
 * account's member shows `pendingEmail` and the new address is mailed a confirmation link; an
 * unmanaged account's change is refused (403 `account_not_managed`).
 */
export async function updateScimUser(
  deps: ScimUserDeps,
  orgId: string,
  read: ScimChangeBase,
  next: ScimUserState,
  audit: AuditContext,
  /** The org and user record the token's read found (KnownAccount): whether sessions end needs no read of its own. */
  known?: KnownAccount,
): Promise<ScimMember> {
  const { db } = deps;
  const current = read.member;
  const fields = memberFieldsOf(next);
  let base: Membership = current.membership;
  // The member API's rules (DESIGN.md section 1): an address already pending confirmation is not
  // mailed again at each push of the IdP; the account keeps its email until the link is opened.
  if (fields.email !== base.email && fields.email !== base.pendingEmail) {
    base = await replaceMember(
      { members: replaceMemberStore(db, deps.identity), appUrl: deps.appUrl },
      orgId,
      base.userId,
      { name: base.name, email: fields.email, role: base.role, teamId: base.teamId },
      undefined,
      audit,
    );
  }
  const status = statusForIdp(base.status, next.active);
  const leaving = status !== base.status && base.status === 'active';
  // Whether the user keeps another active org decides if their sessions end: read with the
  // member when the request asked to deactivate, else one Query now (only when leaving).
  const sessionEnd = !leaving
    ? undefined
    : read.others
      ? await sessionEndUnlessActiveElsewhere(db, orgId, read.others, base.userId, audit.now, known)
      : (await readLeavingMembership(db, orgId, base.userId, audit.now, false)).sessionEnd;
  const change = idpMemberChangeSteps(db, base, { name: fields.name, status }, sessionEnd, audit);
  const profile = profileOf(next);
  const profileWrite = profileWriteSteps(
    db,
    orgId,
    base.userId,
    { profile: current.profile, version: current.profileVersion },
    profile,
  );
  // An index read may lag: the membership it read and nothing writes is checked at that version
  // (a change that is a no-op as read must be confirmed too).
  const checks = [
    read.indexed && change.steps.length === 0 ? membershipCheckStep(db, base) : undefined,
    profileWrite.steps.length === 0 ? unwrittenProfileStep(db, orgId, read) : undefined,
  ];
  const steps = [
    ...change.steps,
    ...profileWrite.steps,
    profileAuditStep(db, orgId, base.userId, profileWrite, audit),
    ...checks,
  ].filter((s): s is TransactionStep => s !== undefined);
  if (steps.length > 0) await transactWrite(db, steps);
  if (sessionEnd && change.membership.status !== base.status) await signOutEverywhere(deps.identity, base.userId);
  return { membership: change.membership, profile, profileVersion: profileWrite.version };
}

/**
 * For a profile read but not written. An index read may lag, so the profile is checked at the
 * version read; the strong retry of such a change gives it its index entry (a profile from
 * before profiles had one is why the index read missed it).
 */
function unwrittenProfileStep(db: Database, orgId: string, read: ScimChangeBase): TransactionStep | undefined {
  const { membership, profileVersion } = read.member;
  if (read.indexed) return profileCheckStep(db, orgId, membership.userId, profileVersion);
  return read.others && profileVersion > 0
    ? profileIndexBackfillStep(db, orgId, membership.userId, profileVersion)
    : undefined;
}

/** Attempts of a read-modify-write of one user that lost a race to another write of it. */
const CHANGE_ATTEMPTS = 3;

/**
 * Reads a user, computes the state an IdP asked for from it (a PATCH's operations, or a PUT's
 * body) and writes it. A concurrent write of the same user makes the versioned write fail;
 * the change is then re-read and re-applied, so concurrent PATCHes of one user both land,
 * one after the other, and the record stays consistent. A request that may deactivate the
 * user (`mayEndAccess`) first reads the member with the user's other memberships in ONE index
 * Query (DESIGN.md §5: the operation's two round trips are that Query and the transaction);
 * the attempts after a failed one read strongly.
 */
export async function changeScimUser(
  deps: ScimUserDeps,
  orgId: string,
  userId: string,
  nextState: (current: ScimMember) => ScimUserState,
  audit: AuditContext,
  mayEndAccess = false,
  known?: KnownAccount,
): Promise<ScimMember> {
  for (let attempt = 1; ; attempt++) {
    const read = mayEndAccess
      ? await readScimMemberWithOthers(deps.db, orgId, userId, attempt > 1)
      : { member: await getScimUser(deps.db, orgId, userId), indexed: false };
    if (!isScimVisible(read.member)) throw userNotFound();
    try {
      return await updateScimUser(deps, orgId, { ...read, member: read.member }, nextState(read.member), audit, known);
    } catch (error) {
      if (!(error instanceof ConcurrentModificationError) || attempt >= CHANGE_ATTEMPTS) throw error;
    }
  }
}

/**
 * DELETE /Users: the SCIM resource is gone either way (RFC 7644 §3.6: 404 to every later
 * request, left out of lists and filters, a second DELETE 404); what stays in Roster is the
 * org's `scim.deleteAction`. `remove`: the member API's remove (seat freed, access ended, the
 * user and every audit event kept, the SCIM profile and externalId claim deleted with it).
 * `deprovision` (the default): the membership is kept with its history, deprovisioned (a member
 * not active keeps their status) and marked scimDeleted, its SCIM profile and externalId claim
 * deleted, in ONE transaction; a later POST of the person provisions them again. One index
 * Query reads the member, the profile and the user's other memberships; the transaction
 * conditions all it relies on, and a stale read is retried once on a strong read.
 */
export async function deleteScimUser(
  deps: ScimUserDeps,
  orgId: string,
  userId: string,
  action: ScimDeleteAction,
  audit: AuditContext,
  known?: KnownAccount,
): Promise<void> {
  const { db } = deps;
  if (action === 'remove') {
    try {
      // A member whose SCIM User is already deleted is a 404, not a removal.
      return await removeMember(
        { members: memberRemovalStore(db), identity: deps.identity },
        orgId,
        userId,
        undefined,
        audit,
        (m) => m.scimDeleted === true,
        { known },
      );
    } catch (error) {
      throw error instanceof NotFoundError ? userNotFound() : error;
    }
  }
  await withFreshRetry(async (fresh) => {
    const { member, others } = await readScimMemberWithOthers(db, orgId, userId, fresh);
    if (!isScimVisible(member)) throw userNotFound();
    const current = member.membership;
    const sessionEnd = await sessionEndUnlessActiveElsewhere(db, orgId, others, userId, audit.now, known);
    const change = idpMemberChangeSteps(
      db,
      current,
      { name: current.name, status: statusForIdp(current.status, false), scimDeleted: true },
      sessionEnd,
      audit,
    );
    await transactWrite(db, [...change.steps, ...profileRemoveSteps(db, orgId, userId, member)]);
    if (sessionEnd && current.status === 'active') await signOutEverywhere(deps.identity, userId);
  });
}

export const USER_FILTER_ATTRIBUTES = ['userName', 'externalId', 'id', 'emails.work'] as const;

export interface ScimListQuery {
  filter?: string | undefined;
  startIndex: number;
  count: number;
}

/**
 * The users a list request selects. A filter is served by key lookups: `id` names the
 * membership, `userName` / work email the platform email claim, `externalId` the org's
 * externalId claim; every other comparison is then checked on the (at most one) candidate.
 * Without a filter, a page of the members-by-name index: SCIM pages by position, so reading
 * page N means reading the startIndex-1 keys before it; startIndex is capped at
 * MAX_SCIM_START_INDEX and count at MAX_SCIM_COUNT so a page stays bounded.
 */
export async function listScimUsers(
  db: Database,
  org: Org,
  query: ScimListQuery,
): Promise<{ total: number; members: ScimMember[] }> {
  if (query.filter === undefined) {
    const ids = query.count === 0 ? [] : await memberIdsByName(db, org.orgId, query.startIndex - 1, query.count);
    return {
      total: org.memberCount - (org.scimDeletedCount ?? 0),
      members: (await getScimMembers(db, org.orgId, ids)).filter(isScimVisible),
    };
  }
  const clauses = parseFilter(query.filter, USER_FILTER_ATTRIBUTES);
  const first = clauses[0]!;
  const userId =
    first.attribute === 'id'
      ? first.value
      : first.attribute === 'externalId'
        ? await findUserIdByExternalId(db, org.orgId, first.value)
        : await findUserIdByEmail(db, first.value);
  const candidates = userId ? (await getScimMembers(db, org.orgId, [userId])).filter(isScimVisible) : [];
  const matches = candidates.filter((m) => clauses.every((c) => clauseMatches(m, c.attribute, c.value)));
  return { total: matches.length, members: query.startIndex > 1 || query.count === 0 ? [] : matches };
}

function clauseMatches(member: ScimMember, attribute: string, value: string): boolean {
  // userName is case-insensitive (RFC 7643 caseExact false); ids and externalId are exact.
  if (attribute === 'id') return member.membership.userId === value;
  if (attribute === 'externalId') return (member.profile?.externalId ?? null) === value;
  return member.membership.email === value.trim().toLowerCase();
}

/** For a state read back: the SCIM state of a member. */
export const scimStateOf = (member: ScimMember): ScimUserState => userStateOf(member.membership, member.profile);

/** Refuses a request that would set the id (immutable) to another user's. */
export function checkIdUnchanged(body: Record<string, unknown>, userId: string): void {
  if (body.id !== undefined && body.id !== userId) throw new ScimBadRequestError('mutability', 'id cannot be changed');
}

/** RFC 7644 paging with Roster's caps: startIndex < 1 is 1, count is 0..MAX_SCIM_COUNT. */
export function scimPage(query: { filter?: string | undefined; startIndex: number; count: number }): ScimListQuery {
  const startIndex = Math.max(1, query.startIndex);
  if (startIndex > MAX_SCIM_START_INDEX)
    throw new ScimBadRequestError(
      'invalidValue',
      `startIndex is capped at ${MAX_SCIM_START_INDEX}; use a filter to find a user`,
    );
  return {
    ...(query.filter !== undefined ? { filter: query.filter } : {}),
    startIndex,
    count: Math.min(query.count, MAX_SCIM_COUNT),
  };
}
