import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/teams/operations.js';
import { listTeams } from '../../shared/teams/list-teams.js';

/** GET /v1/orgs/{orgId}/teams: one page of the org's teams. */
export const handler = operationHandler(operations.listTeams, async ({ params, query, deps }) => ({
  status: 200,
  body: await listTeams(deps.db, params.orgId, query),
}));
