import { auditStep, diffFields, type AuditContext } from '../audit/audit-event.js';
import { batchGetAll } from '../data/batch-get.js';
import type { Database } from '../data/dynamo-client.js';
import { TRANSACTION_ACTION_LIMIT } from '../data/dynamodb-limits.js';
import { membershipKey } from '../data/keys.js';
import { membershipFromItem, queryTeamMembers } from '../members/membership-repository.js';
import { transactWrite, type TransactionStep } from '../data/transactions.js';
import { LastAdminError } from '../errors.js';
import { keepsAnAdmin } from '../seats/seat-rules.js';
import { logger } from '../logger.js';
import type { IdentityPort } from '../identity/identity-port.js';
import { withRole, type Membership } from '../members/membership.js';
import {
  counterDelta,
  membershipWriteSteps,
  orgCountersStep,
  sumDeltas,
  teamExistsStep,
} from '../members/membership-steps.js';
import { scimSettingsOf, type Org, type ScimSettings } from '../orgs/org.js';
import type { Role } from '../roles.js';
import { createTeamSteps } from '../teams/create-team.js';
import { deleteTeam, deleteTeamSteps } from '../teams/delete-team.js';
import type { Team } from '../teams/team.js';
import { teamNotFound } from '../teams/team-errors.js';
import { findTeamIdByName, getTeam, queryTeams } from '../teams/team-repository.js';
import { updateTeamSteps } from '../teams/update-team.js';
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
    const page = await queryTeamMembers(db, orgId, teamId, 100, cursor);
    // A member whose SCIM User the IdP deleted is no SCIM resource, so no group member either.
    members.push(...page.items.filter((m) => m.scimDeleted !== true).map((m) => ({ userId: m.userId, name: m.name })));
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
 * a mapping the role is never touched. `teamNames`: the names of the teams members leave.
 */
function roleAfterMove(
  current: Membership,
  to: Team | null,
  teamNames: Map<string, string>,
  groupRoles: GroupRoles,
): Role {
  if (groupRoles.length === 0) return current.role as Role;
  const toRole = mappedRole(groupRoles, to?.name);
  if (toRole) return toRole;
  if (current.teamId === null) return current.role as Role;
  const fromRole = mappedRole(groupRoles, teamNames.get(current.teamId));
  return fromRole !== undefined && current.role === fromRole ? 'member' : (current.role as Role);
}

/** One member's move, as planned before anything is written. */
interface MemberMove {
  current: Membership;
  next: Membership;
}

/** What a Group write does: the team's own change (create, rename, none) and the member moves. */
interface GroupWritePlan {
  team: Team;
  /** The team as it was (undefined: created by this write). */
  before: Team | undefined;
  teamSteps: TransactionStep[];
  moves: MemberMove[];
}

/**
 * Plans a Group write before anything is written (RFC 7644 §3.5.2: a failed request changes
 * nothing): reads the memberships named (one consistent BatchGetItem per 100), refuses an id
 * that is not a SCIM user of the org (400 invalidValue), skips removals of members already
 * gone or not in the group (an IdP's retry), and checks last-admin protection on the org's
 * counter. A member already in the group only has their role brought in line with the mapping.
 */
async function planMoves(
  db: Database,
  org: Org,
  team: Team,
  add: string[],
  remove: string[],
  audit: AuditContext,
): Promise<MemberMove[]> {
  const groupRoles = scimSettingsOf(org.settings).groupRoles;
  const adding = new Set(add);
  const ids = [...new Set([...add, ...remove])];
  const items = await batchGetAll(
    db,
    ids.map((id) => membershipKey(org.orgId, id)),
  );
  const byId = new Map(
    items
      .map(membershipFromItem)
      .filter((m) => m.scimDeleted !== true)
      .map((m) => [m.userId, m]),
  );
  const unknown = add.find((id) => !byId.has(id));
  if (unknown !== undefined)
    throw new ScimBadRequestError('invalidValue', `${unknown} is not a user of this organization`);
  // Names of the teams members leave decide whether leaving takes a mapped role back.
  const leftTeamIds =
    groupRoles.length === 0
      ? []
      : [
          ...new Set(
            [...byId.values()].map((m) => m.teamId).filter((t): t is string => t !== null && t !== team.teamId),
          ),
        ];
  const teamNames = new Map<string, string>([
    [team.teamId, team.name],
    ...(
      await Promise.all(leftTeamIds.map(async (id) => [id, (await getTeam(db, org.orgId, id))?.name] as const))
    ).flatMap(([id, name]) => (name ? [[id, name] as [string, string]] : [])),
  ]);
  const moves: MemberMove[] = [];
  for (const id of ids) {
    const current = byId.get(id);
    if (!current) continue;
    const to = adding.has(id) ? team : null;
    if (!to && current.teamId !== team.teamId) continue;
    const role = roleAfterMove(current, to, teamNames, groupRoles);
    const moved: Membership = { ...current, teamId: to?.teamId ?? null, updatedAt: audit.now.toISOString() };
    // A mapped custom role holding org:manage marks its holder an admin (withRole), counted as one.
    const next = role === current.role ? moved : withRole(moved, role, org.customRoles);
    if (next.teamId !== current.teamId || next.role !== current.role) moves.push({ current, next });
  }
  const admins = moves.reduce((sum, m) => sum + counterDelta(m.current, m.next).admins, 0);
  if (!keepsAnAdmin(org.activeAdminCount, admins)) throw new LastAdminError();
  return moves;
}

/** A member move's steps: the membership and its search entries (conditioned on the version read) and its audit event. */
function moveSteps(db: Database, move: MemberMove, audit: AuditContext): TransactionStep[] {
  const { current, next } = move;
  const changes = diffFields({ role: current.role, teamId: current.teamId }, { role: next.role, teamId: next.teamId });
  return [
    ...membershipWriteSteps(db, next, current.version),
    auditStep(
      db,
      { orgId: current.orgId, action: 'member.updated', target: { type: 'member', id: current.userId }, ...changes },
      audit,
    ),
  ];
}

/** Steps that do not depend on a member: the org's counters and, without a team write, the team's existence. */
const FIXED_STEPS_PER_TRANSACTION = 2;

/**
 * The plan as few transactions as DynamoDB's 100 actions allow: the team's own change and as
 * many member moves as fit in the first, the other moves in the next ones, each with the
 * counters of its moves and a check that the team still exists.
 */
function transactionsOf(
  db: Database,
  plan: GroupWritePlan,
  audit: AuditContext,
): { moves: MemberMove[]; steps: TransactionStep[] }[] {
  const batches: { moves: MemberMove[]; steps: TransactionStep[] }[] = [];
  let batch = { moves: [] as MemberMove[], steps: [...plan.teamSteps] };
  const close = () => {
    // Custom role holders move with the members (orgCountersStep conditions on the roles as read).
    const delta = batch.moves.reduce((sum, m) => sumDeltas(sum, counterDelta(m.current, m.next)), {
      seats: 0,
      admins: 0,
      members: 0,
    });
    // The first transaction writes the team when it changes; any other that moves members into it checks it still exists.
    const writesTeam = batches.length === 0 && plan.teamSteps.length > 0;
    const teamCheck =
      !writesTeam && batch.moves.some((m) => m.next.teamId === plan.team.teamId)
        ? teamExistsStep(db, plan.team.orgId, plan.team.teamId)
        : undefined;
    batches.push({
      moves: batch.moves,
      steps: [...batch.steps, orgCountersStep(db, plan.team.orgId, delta), teamCheck].filter(
        (s): s is TransactionStep => s !== undefined,
      ),
    });
    batch = { moves: [], steps: [] };
  };
  for (const move of plan.moves) {
    const steps = moveSteps(db, move, audit);
    if (batch.steps.length + steps.length + FIXED_STEPS_PER_TRANSACTION > TRANSACTION_ACTION_LIMIT) close();
    batch.moves.push(move);
    batch.steps.push(...steps);
  }
  if (batch.steps.length > 0 || batches.length === 0) close();
  return batches.filter((b) => b.steps.length > 0);
}

/**
 * Writes a plan. One transaction when it fits (the usual case: every member move, the team's
 * change, counters and audit events together). A larger one is written transaction after
 * transaction; if one fails, those already written are undone (each member back to how it was
 * read, conditioned on the version written; a created team deleted, a renamed one renamed
 * back), so the request changes nothing. An undo that itself fails (a concurrent change of the
 * same member, a crash) is logged; the plan is computed from the state read, so the IdP's retry
 * of the PUT or PATCH completes it.
 */
async function writePlan(db: Database, plan: GroupWritePlan, audit: AuditContext): Promise<void> {
  const transactions = transactionsOf(db, plan, audit);
  for (let i = 0; i < transactions.length; i++) {
    try {
      await transactWrite(db, transactions[i]!.steps);
    } catch (error) {
      if (i > 0) await undo(db, plan, transactions.slice(0, i), audit);
      throw error;
    }
  }
}

async function undo(
  db: Database,
  plan: GroupWritePlan,
  written: { moves: MemberMove[] }[],
  audit: AuditContext,
): Promise<void> {
  try {
    for (let i = written.length - 1; i >= 0; i--) {
      const reverse: GroupWritePlan = {
        ...plan,
        teamSteps: i === 0 ? teamUndoSteps(db, plan, audit) : [],
        moves: written[i]!.moves.map(({ current, next }) => ({
          current: { ...next, version: current.version + 1 },
          next: { ...current, updatedAt: audit.now.toISOString() },
        })),
      };
      for (const transaction of transactionsOf(db, reverse, audit)) await transactWrite(db, transaction.steps);
    }
  } catch (error) {
    logger.error('could not undo a partly written SCIM group change; an IdP retry completes it', {
      teamId: plan.team.teamId,
      error: error as Error,
    });
  }
}

function teamUndoSteps(db: Database, plan: GroupWritePlan, audit: AuditContext): TransactionStep[] {
  if (plan.teamSteps.length === 0) return [];
  if (!plan.before) return deleteTeamSteps(db, plan.team, audit);
  return updateTeamSteps(db, plan.team, { name: plan.before.name, description: plan.before.description }, audit).steps;
}

/** POST /Groups: the team and every member named, planned first, written as one change. */
export async function createScimGroup(
  deps: ScimGroupDeps,
  org: Org,
  state: GroupState,
  audit: AuditContext,
): Promise<Team> {
  const { team, steps } = createTeamSteps(deps.db, org.orgId, { name: state.displayName, description: null }, audit);
  const moves = await planMoves(deps.db, org, team, state.members ?? [], [], audit);
  await writePlan(deps.db, { team, before: undefined, teamSteps: steps, moves }, audit);
  return team;
}

/**
 * Applies a Group PATCH (or a PUT, as a rename plus "replace members") as one change: every
 * member named is checked before anything is written, and the rename and the member moves are
 * written together (see writePlan). Removing a member not in the group (or gone) is a no-op.
 */
export async function patchScimGroup(
  deps: ScimGroupDeps,
  org: Org,
  teamId: string,
  patch: GroupPatch,
  audit: AuditContext,
): Promise<Team> {
  const { db } = deps;
  const before = await getScimGroup(db, org.orgId, teamId);
  const renamed =
    patch.displayName !== undefined && patch.displayName !== before.name
      ? updateTeamSteps(db, before, { name: patch.displayName, description: before.description }, audit)
      : { team: before, steps: [] };
  const adding = new Set(patch.add);
  const removing = (
    patch.removeAll ? (await groupMembers(db, org.orgId, teamId)).map((m) => m.userId) : patch.remove
  ).filter((id) => !adding.has(id));
  const moves = await planMoves(db, org, renamed.team, patch.add, removing, audit);
  await writePlan(db, { team: renamed.team, before, teamSteps: renamed.steps, moves }, audit);
  return renamed.team;
}

export async function replaceScimGroup(
  deps: ScimGroupDeps,
  org: Org,
  teamId: string,
  state: GroupState,
  audit: AuditContext,
): Promise<Team> {
  return patchScimGroup(
    deps,
    org,
    teamId,
    { displayName: state.displayName, add: state.members ?? [], remove: [], removeAll: state.members !== undefined },
    audit,
  );
}

/**
 * DELETE /Groups: the team goes, its members stay (unassigned). Members of a group mapped to a
 * role first leave it as a Group PATCH would have them (role back to `member`, the last active
 * admin refused, written as one change), so deleting the admin group cannot leave admins
 * nobody maps.
 */
export async function deleteScimGroup(
  deps: ScimGroupDeps,
  org: Org,
  teamId: string,
  audit: AuditContext,
): Promise<void> {
  const team = await getScimGroup(deps.db, org.orgId, teamId);
  if (mappedRole(scimSettingsOf(org.settings).groupRoles, team.name) !== undefined) {
    const moves = await planMoves(
      deps.db,
      org,
      team,
      [],
      (await groupMembers(deps.db, org.orgId, teamId)).map((m) => m.userId),
      audit,
    );
    await writePlan(deps.db, { team, before: team, teamSteps: [], moves }, audit);
  }
  await deleteTeam(deps.db, org.orgId, teamId, audit);
}

/**
 * Groups a list request selects: `displayName eq` by the team-name claim (one GetItem), else
 * the org's teams in id order. Teams are few next to members (see keys.ts); the walk stops
 * at MAX_SCIM_START_INDEX teams.
 */
export async function listScimGroups(
  db: Database,
  orgId: string,
  query: ScimListQuery,
): Promise<{ total: number; teams: Team[] }> {
  if (query.filter !== undefined) {
    const clauses = parseFilter(query.filter, ['displayName', 'id']);
    const byName = clauses.find((c) => c.attribute === 'displayName');
    const byId = clauses.find((c) => c.attribute === 'id');
    let teamId = byId?.value;
    if (byName) {
      const claimed = await findTeamIdByName(db, orgId, byName.value);
      if (!claimed || (teamId !== undefined && teamId !== claimed)) return { total: 0, teams: [] };
      teamId = claimed;
    }
    const team = teamId ? await getTeam(db, orgId, teamId) : undefined;
    const matches =
      team &&
      clauses.every((c) =>
        c.attribute === 'id' ? team.teamId === c.value : team.name.toLowerCase() === c.value.trim().toLowerCase(),
      )
        ? [team]
        : [];
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
