import type { Database } from '../data/dynamo-client.js';
import type { Page } from '../data/pagination.js';
import type { ListTeamsQuery } from './schemas.js';
import { teamView } from './team.js';
import { queryTeams } from './team-repository.js';

/** One page of an org's teams: a Query on the org partition reading at most limit+1 items. */
export async function listTeams(
  db: Database,
  orgId: string,
  query: ListTeamsQuery,
): Promise<Page<ReturnType<typeof teamView>>> {
  const page = await queryTeams(db, orgId, query.limit, query.cursor);
  return { items: page.items.map(teamView), nextCursor: page.nextCursor };
}
