import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { memberListIndex, memberListPartition, memberSortPrefix, teamNameClaimKey } from '../data/keys.js';
import { getMembership, membershipFromItem } from '../data/membership-repository.js';
import { queryPage } from '../data/pagination.js';
import type { IdentityPort } from '../identity/identity-port.js';
import type { Membership } from '../members/membership.js';
import { replaceMember } from '../members/replace-member.js';
import type { ScimSettings } from '../orgs/org.js';
import type { Role } from '../roles.js';
import { createTeam } from '../teams/create-team.js';
import { deleteTeam } from '../teams/delete-team.js';
import type { Team } from '../teams/team.js';
import { teamNotFound } from '../teams/team-errors.js';
import { getTeam, queryTeams } from '../teams/team-repository.js';
import { updateTeam } from '../teams/update-team.js';
import { parseFilter } from './filter.js';
import type { GroupPatch, GroupState } from './group-resource.js';
import { ScimBadRequestError } from './scim-errors.js';
import { MAX_SCIM_COUNT, MAX_SCIM_START_INDEX, type ScimListQuery } from './scim-users.js';

export interface ScimGroupDeps {
  db: Database;
  identity: IdentityPort;
}

/** Most members a Group resource lists (GET /Groups/{id}); the rest are reachable as Users. */
export const MAX_LISTED_GROUP_MEMBERS = 1000;

export interface GroupMember {
  userId: string;
  name: string;
}

export async function getScimGroup(db: Database, orgId: string, teamId: string): Promise<Team> {
  const team = await getTeam(db, orgId, teamId);
  if (!team) throw teamNotFound();
  return team;
}

/** A team's members from its member index (GSI8), at most MAX_LISTED_GROUP_MEMBERS. */
export async function groupMembers(db: Database, orgId: string, teamId: string): Promise<GroupMember[]> {
  const members: GroupMember[] = [];
  let cursor: string | undefined;
  do {
    // Members only: the team's own entry in this index sorts before them, outside the `n#` prefix.
    const page = await queryPage(db, { index: memberListIndex.filter.teamId, partition: memberListPartition.team(orgId, teamId), sortKey: { beginsWith: memberSortPrefix.name }, forward: true, limit: 100, cursor });
    members.push(...page.items.map(membershipFromItem).map((m) => ({ userId: m.userId, name: m.name })));
    cursor = page.nextCursor ?? undefined;
  } while (cursor && members.length < MAX_LISTED_GROUP_MEMBERS);
  return members.slice(0, MAX_LISTED_GROUP_MEMBERS);
}

/** The org's group → role mapping (ScimSettings.groupRoles); empty: Groups never change roles. */
export type GroupRoles = ScimSettings['groupRoles'];

/** The role a group of this name maps to: names compared as team names are (trimmed, case-insensitive). */
export function mappedRole(groupRoles: GroupRoles, groupName: string | undefined): Role | undefined {
  if (groupName === undefined) return undefined;
  const name = groupName.trim().toLowerCase();
  return groupRoles.find((row) => row.group.trim().toLowerCase() === name)?.role;
}

/**
 * The role a member has after moving from their team to `to` (null: no team). Entering a
 * mapped group gives its role; leaving a mapped group for an unmapped one (or none) takes the
 * group's role back to `member`, unless an admin has since given them another role. Without
 * a mapping the role is never touched. The previous team's name costs a read only when the
 * member moves from a team other than the one being patched.
 */
async function roleAfterMove(db: Database, orgId: string, current: Membership, to: Team | null, from: Team, groupRoles: GroupRoles): Promise<Role> {
  if (groupRoles.length === 0) return current.role as Role;
  const toRole = mappedRole(groupRoles, to?.name);
  if (toRole) return toRole;
  if (current.teamId === null) return current.role as Role;
  const fromName = current.teamId === from.teamId ? from.name : (await getTeam(db, orgId, current.teamId))?.name;
  const fromRole = mappedRole(groupRoles, fromName);
  return fromRole !== undefined && current.role === fromRole ? 'member' : (current.role as Role);
}

/**
 * Puts a member in a team or takes them out, through the member API's full replace (name and
 * email kept; role as the group mapping says), so the team-exists check, versioning, last-admin
 * protection and audit are the member use case's. A Roster member belongs to at most one team:
 * adding them to a group moves them. Removing a member from a group they are not in changes
 * nothing; adding one already in it only brings their role in line with the mapping.
 */
async function setTeamOf(deps: ScimGroupDeps, orgId: string, userId: string, to: Team | null, group: Team, onlyIfIn: string | undefined, groupRoles: GroupRoles, audit: AuditContext): Promise<void> {
  const current = await getMembership(deps.db, orgId, userId);
  if (!current) throw new ScimBadRequestError('invalidValue', `${userId} is not a user of this organization`);
  if (onlyIfIn !== undefined && current.teamId !== onlyIfIn) return;
  const teamId = to?.teamId ?? null;
  const role = await roleAfterMove(deps.db, orgId, current, to, group, groupRoles);
  if (current.teamId === teamId && current.role === role) return;
  await replaceMember(deps, orgId, userId, { name: current.name, email: current.email, role, teamId }, undefined, audit);
}

/** Creates a team for a Group, then assigns the members it names. */
export async function createScimGroup(deps: ScimGroupDeps, orgId: string, state: GroupState, groupRoles: GroupRoles, audit: AuditContext): Promise<Team> {
  const team = await createTeam(deps.db, orgId, { name: state.displayName, description: null }, audit);
  for (const userId of state.members ?? []) await setTeamOf(deps, orgId, userId, team, team, undefined, groupRoles, audit);
  return team;
}

/**
 * Applies a Group PATCH (or a PUT, as a rename plus "replace members"). Each member change is
 * its own transaction: a refusal (the org's last admin losing the admin group) answers the
 * SCIM error, and the IdP's retry of the whole PATCH finds the earlier changes already made.
 */
export async function patchScimGroup(deps: ScimGroupDeps, orgId: string, teamId: string, patch: GroupPatch, groupRoles: GroupRoles, audit: AuditContext): Promise<Team> {
  let team = await getScimGroup(deps.db, orgId, teamId);
  if (patch.displayName !== undefined && patch.displayName !== team.name) {
    team = await updateTeam(deps.db, orgId, teamId, { name: patch.displayName, description: team.description }, audit);
  }
  const adding = new Set(patch.add);
  const removing = patch.removeAll ? (await groupMembers(deps.db, orgId, teamId)).map((m) => m.userId) : patch.remove;
  for (const userId of removing) if (!adding.has(userId)) await setTeamOf(deps, orgId, userId, null, team, teamId, groupRoles, audit);
  for (const userId of adding) await setTeamOf(deps, orgId, userId, team, team, undefined, groupRoles, audit);
  return team;
}

export async function replaceScimGroup(deps: ScimGroupDeps, orgId: string, teamId: string, state: GroupState, groupRoles: GroupRoles, audit: AuditContext): Promise<Team> {
  return patchScimGroup(deps, orgId, teamId, { displayName: state.displayName, add: state.members ?? [], remove: [], removeAll: state.members !== undefined }, groupRoles, audit);
}

/**
 * DELETE /Groups: the team goes, its members stay (unassigned). Members of a group mapped to a
 * role first leave it one by one as a Group PATCH would have them (role back to `member`, the
 * last active admin refused), so deleting the admin group cannot leave admins nobody maps.
 */
export async function deleteScimGroup(deps: ScimGroupDeps, orgId: string, teamId: string, groupRoles: GroupRoles, audit: AuditContext): Promise<void> {
  const team = await getScimGroup(deps.db, orgId, teamId);
  if (mappedRole(groupRoles, team.name) !== undefined) {
    for (const { userId } of await groupMembers(deps.db, orgId, teamId)) await setTeamOf(deps, orgId, userId, null, team, teamId, groupRoles, audit);
  }
  await deleteTeam(deps.db, orgId, teamId, audit);
}

/**
 * Groups a list request selects: `displayName eq` by the team-name claim (one GetItem), else
 * the org's teams in id order. Teams are few next to members (see keys.ts); the walk stops
 * at MAX_SCIM_START_INDEX teams.
 */
export async function listScimGroups(db: Database, orgId: string, query: ScimListQuery): Promise<{ total: number; teams: Team[] }> {
  if (query.filter !== undefined) {
    const clauses = parseFilter(query.filter, ['displayName', 'id']);
    const byName = clauses.find((c) => c.attribute === 'displayName');
    const byId = clauses.find((c) => c.attribute === 'id');
    let teamId = byId?.value;
    if (byName) {
      const { Item } = await db.client.send(new GetCommand({ TableName: db.tableName, Key: teamNameClaimKey(orgId, byName.value), ConsistentRead: true }));
      const claimed = Item?.teamId as string | undefined;
      if (!claimed || (teamId !== undefined && teamId !== claimed)) return { total: 0, teams: [] };
      teamId = claimed;
    }
    const team = teamId ? await getTeam(db, orgId, teamId) : undefined;
    const matches = team && clauses.every((c) => (c.attribute === 'id' ? team.teamId === c.value : team.name.toLowerCase() === c.value.trim().toLowerCase())) ? [team] : [];
    return { total: matches.length, teams: query.startIndex > 1 || query.count === 0 ? [] : matches };
  }
  const teams: Team[] = [];
  let cursor: string | undefined;
  do {
    const page = await queryTeams(db, orgId, 100, cursor);
    teams.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && teams.length < MAX_SCIM_START_INDEX + MAX_SCIM_COUNT);
  return { total: teams.length, teams: teams.slice(query.startIndex - 1, query.startIndex - 1 + query.count) };
}
