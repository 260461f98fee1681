import type { AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { findUserIdByEmail } from '../data/user-repository.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { validate } from '../http/parse.js';
import type { IdentityPort } from '../identity/identity-port.js';
import { addMember } from '../members/add-member.js';
import { changeMemberStatus } from '../members/change-member-status.js';
import type { Membership } from '../members/membership.js';
import { replaceMember } from '../members/replace-member.js';
import type { Org } from '../orgs/org.js';
import { displayName, emailAddress } from '../schemas.js';
import { parseFilter } from './filter.js';
import { ScimBadRequestError } from './scim-errors.js';
import { findUserIdByExternalId, getScimMembers, memberIdsByName, saveScimProfile, type ScimMember } from './scim-user-repository.js';
import { nameOf, userStateOf, type ScimUserProfile, type ScimUserState } from './user-resource.js';

export interface ScimUserDeps {
  db: Database;
  identity: IdentityPort;
}

/** Largest page a SCIM list answers, and the furthest it pages by position (see listScimUsers). */
export const MAX_SCIM_COUNT = 100;
export const MAX_SCIM_START_INDEX = 10_000;

const userNotFound = () => new NotFoundError('No such user in this organization', 'scim_user_not_found');

const profileOf = (s: ScimUserState): ScimUserProfile => ({
  externalId: s.externalId,
  givenName: s.givenName,
  familyName: s.familyName,
  formatted: s.formatted,
  displayName: s.displayName,
  department: s.department,
  manager: s.manager,
});

/** Roster's name and email of a SCIM state, checked by the same rules as the member API. */
function memberFieldsOf(state: ScimUserState): { name: string; email: string } {
  return { name: validate(displayName, nameOf(state), 'name'), email: validate(emailAddress, state.userName, 'userName') };
}

export async function getScimUser(db: Database, orgId: string, userId: string): Promise<ScimMember> {
  const [member] = await getScimMembers(db, orgId, [userId]);
  if (!member) throw userNotFound();
  return member;
}

/**
 * Creates a member from a SCIM User: role `member`, source `scim`, through the member API's
 * own use case (seats, email uniqueness, audit). A taken userName or externalId is 409
 * `uniqueness`, so a retried create never makes a second member; the IdP then finds the user
 * by filter. The SCIM profile (externalId …) follows in its own transaction: should it lose a
 * race for the externalId, the member stays and the create answers 409 like a retry would.
 */
export async function createScimUser(deps: ScimUserDeps, orgId: string, state: ScimUserState, audit: AuditContext): Promise<ScimMember> {
  const { db } = deps;
  const fields = memberFieldsOf(state);
  if (state.externalId !== null && (await findUserIdByExternalId(db, orgId, state.externalId))) {
    throw new ConflictError(`A user with externalId ${state.externalId} already exists`, 'scim_external_id_taken');
  }
  let membership = await addMember(deps, orgId, { ...fields, role: 'member', teamId: null }, audit, 'scim');
  const profile = profileOf(state);
  const profileVersion = await saveScimProfile(db, orgId, membership.userId, { profile: undefined, version: 0 }, profile, audit);
  if (!state.active) membership = await changeMemberStatus(deps, { orgId, userId: membership.userId, to: 'deprovisioned', actor: undefined }, audit);
  return { membership, profile, profileVersion };
}

/**
 * Moves a member to the state an IdP asked for, through the member use cases: name and email
 * by replaceMember (role and team kept), SCIM-only attributes in the profile, and `active` by
 * changeMemberStatus: false deprovisions (seat freed, sessions of a user left with no active
 * org ended), true reactivates a deprovisioned member if a seat is free. An admin's suspension
 * is Roster's own decision and is not lifted by an IdP's `active: true`.
 */
export async function updateScimUser(deps: ScimUserDeps, orgId: string, current: ScimMember, next: ScimUserState, audit: AuditContext): Promise<ScimMember> {
  const { db } = deps;
  let membership: Membership = current.membership;
  const fields = memberFieldsOf(next);
  if (!next.active && membership.status === 'active') {
    membership = await changeMemberStatus(deps, { orgId, userId: membership.userId, to: 'deprovisioned', actor: undefined }, audit);
  }
  if (fields.name !== membership.name || fields.email !== membership.email) {
    membership = await replaceMember(deps, orgId, membership.userId, { ...fields, role: membership.role, teamId: membership.teamId }, undefined, audit);
  }
  const profile = profileOf(next);
  const profileVersion = await saveScimProfile(db, orgId, membership.userId, { profile: current.profile, version: current.profileVersion }, profile, audit);
  if (next.active && membership.status === 'deprovisioned') {
    membership = await changeMemberStatus(deps, { orgId, userId: membership.userId, to: 'active', actor: undefined }, audit);
  }
  return { membership, profile, profileVersion };
}

/** DELETE /Users: the member is deprovisioned (row and history kept), not removed. */
export async function deprovisionScimUser(deps: ScimUserDeps, orgId: string, userId: string, audit: AuditContext): Promise<void> {
  const current = await getScimUser(deps.db, orgId, userId);
  if (current.membership.status !== 'active') return;
  await changeMemberStatus(deps, { orgId, userId, to: 'deprovisioned', actor: undefined }, audit);
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
export async function listScimUsers(db: Database, org: Org, query: ScimListQuery): Promise<{ total: number; members: ScimMember[] }> {
  if (query.filter === undefined) {
    const ids = query.count === 0 ? [] : await memberIdsByName(db, org.orgId, query.startIndex - 1, query.count);
    return { total: org.memberCount, members: await getScimMembers(db, org.orgId, ids) };
  }
  const clauses = parseFilter(query.filter, USER_FILTER_ATTRIBUTES);
  const first = clauses[0]!;
  const userId =
    first.attribute === 'id'
      ? first.value
      : first.attribute === 'externalId'
        ? await findUserIdByExternalId(db, org.orgId, first.value)
        : await findUserIdByEmail(db, first.value);
  const candidates = userId ? await getScimMembers(db, org.orgId, [userId]) : [];
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
  if (startIndex > MAX_SCIM_START_INDEX) throw new ScimBadRequestError('invalidValue', `startIndex is capped at ${MAX_SCIM_START_INDEX}; use a filter to find a user`);
  return { ...(query.filter !== undefined ? { filter: query.filter } : {}), startIndex, count: Math.min(query.count, MAX_SCIM_COUNT) };
}
