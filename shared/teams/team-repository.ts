import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Database } from '../data/dynamo-client.js';
import { ORG_PARTITION_PREFIX, orgPartition, teamIndexKeys, teamKey, teamNameClaimKey } from '../data/keys.js';
import { queryPage, type Page } from '../data/pagination.js';
import type { Team } from './team.js';

export const TEAM_ENTITY = 'team';
export const TEAM_NAME_CLAIM_ENTITY = 'teamNameClaim';

/** The team item; also an entry in its own member index, so deleting it reads team and members in one Query. */
export function teamToItem(team: Team): Record<string, unknown> {
  return {
    ...teamKey(team.orgId, team.teamId),
    ...teamIndexKeys(team.orgId, team.teamId),
    entity: TEAM_ENTITY,
    ...team,
  };
}

export function teamFromItem(item: Record<string, unknown>): Team {
  return {
    orgId: item.orgId as string,
    teamId: item.teamId as string,
    name: item.name as string,
    description: (item.description as string | null | undefined) ?? null,
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
    version: Number(item.version ?? 0),
  };
}

/** The item that holds a team name in an org (case-insensitively) for one team. */
export function teamNameClaimItem(team: Pick<Team, 'orgId' | 'teamId' | 'name'>): Record<string, unknown> {
  return {
    ...teamNameClaimKey(team.orgId, team.name),
    entity: TEAM_NAME_CLAIM_ENTITY,
    orgId: team.orgId,
    teamId: team.teamId,
    name: team.name,
  };
}

export async function getTeam(db: Database, orgId: string, teamId: string): Promise<Team | undefined> {
  const { Item } = await db.client.send(
    new GetCommand({ TableName: db.tableName, Key: teamKey(orgId, teamId), ConsistentRead: true }),
  );
  return Item ? teamFromItem(Item) : undefined;
}

/** The id of the org's team holding a name (its name claim, strongly consistent), if any. */
export async function findTeamIdByName(db: Database, orgId: string, name: string): Promise<string | undefined> {
  const { Item } = await db.client.send(
    new GetCommand({ TableName: db.tableName, Key: teamNameClaimKey(orgId, name), ConsistentRead: true }),
  );
  return Item?.teamId as string | undefined;
}

/** One page of an org's teams, read from the org's own partition (ordered by team id). */
export async function queryTeams(
  db: Database,
  orgId: string,
  limit: number,
  cursor: string | undefined,
): Promise<Page<Team>> {
  const page = await queryPage(db, {
    partition: orgPartition(orgId),
    sortKey: { beginsWith: ORG_PARTITION_PREFIX.team },
    forward: true,
    limit,
    cursor,
  });
  return { items: page.items.map(teamFromItem), nextCursor: page.nextCursor };
}

/**
 * Every team of an org as id → name, page by page (for the member export). Teams are few
 * next to members; the map is as large as the org's team list, not its member list.
 */
export async function teamNamesById(db: Database, orgId: string): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  let cursor: string | undefined;
  do {
    const page = await queryTeams(db, orgId, 100, cursor);
    for (const team of page.items) names.set(team.teamId, team.name);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return names;
}
