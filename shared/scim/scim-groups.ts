import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { memberListIndex, memberListPartition, teamNameClaimKey } from '../data/keys.js';
import { getMembership, membershipFromItem } from '../data/membership-repository.js';
import { queryPage } from '../data/pagination.js';
import type { IdentityPort } from '../identity/identity-port.js';
import { replaceMember } from '../members/replace-member.js';
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
    const page = await queryPage(db, { index: memberListIndex.filter.teamId, partition: memberListPartition.team(orgId, teamId), forward: true, limit: 100, cursor });
    members.push(...page.items.map(membershipFromItem).map((m) => ({ userId: m.userId, name: m.name })));
    cursor = page.nextCursor ?? undefined;
  } while (cursor && members.length < MAX_LISTED_GROUP_MEMBERS);
  return members.slice(0, MAX_LISTED_GROUP_MEMBERS);
}

/**
 * Puts a member in a team or takes them out, through the member API's full replace (role,
 * name and email kept), so the team-exists check, versioning and audit are the member use
 * case's. A Roster member belongs to at most one team: adding them to a group moves them.
 * Removing a member from a group they are not in changes nothing.
 */
async function setTeamOf(deps: ScimGroupDeps, orgId: string, userId: string, teamId: string | null, onlyIfIn: string | undefined, audit: AuditContext): Promise<void> {
  const current = await getMembership(deps.db, orgId, userId);
  if (!current) throw new ScimBadRequestError('invalidValue', `${userId} is not a user of this organization`);
  if (onlyIfIn !== undefined && current.teamId !== onlyIfIn) return;
  if (current.teamId === teamId) return;
  await replaceMember(deps, orgId, userId, { name: current.name, email: current.email, role: current.role, teamId }, undefined, audit);
}

/** Creates a team for a Group, then assigns the members it names. */
export async function createScimGroup(deps: ScimGroupDeps, orgId: string, state: GroupState, audit: AuditContext): Promise<Team> {
  const team = await createTeam(deps.db, orgId, { name: state.displayName, description: null }, audit);
  for (const userId of state.members ?? []) await setTeamOf(deps, orgId, userId, team.teamId, undefined, audit);
  return team;
}

/** Applies a Group PATCH (or a PUT, as a rename plus "replace members"). */
export async function patchScimGroup(deps: ScimGroupDeps, orgId: string, teamId: string, patch: GroupPatch, audit: AuditContext): Promise<Team> {
  let team = await getScimGroup(deps.db, orgId, teamId);
  if (patch.displayName !== undefined && patch.displayName !== team.name) {
    team = await updateTeam(deps.db, orgId, teamId, { name: patch.displayName, description: team.description }, audit);
  }
  const adding = new Set(patch.add);
  const removing = patch.removeAll ? (await groupMembers(deps.db, orgId, teamId)).map((m) => m.userId) : patch.remove;
  for (const userId of removing) if (!adding.has(userId)) await setTeamOf(deps, orgId, userId, null, teamId, audit);
  for (const userId of adding) await setTeamOf(deps, orgId, userId, teamId, undefined, audit);
  return team;
}

export async function replaceScimGroup(deps: ScimGroupDeps, orgId: string, teamId: string, state: GroupState, audit: AuditContext): Promise<Team> {
  return patchScimGroup(deps, orgId, teamId, { displayName: state.displayName, add: state.members ?? [], remove: [], removeAll: state.members !== undefined }, audit);
}

/** DELETE /Groups: the team goes, its members stay (unassigned). */
export async function deleteScimGroup(db: Database, orgId: string, teamId: string, audit: AuditContext): Promise<void> {
  await deleteTeam(db, orgId, teamId, audit);
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
