import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/teams/operations.js';
import { createTeam } from '../../shared/teams/create-team.js';
import { teamView } from '../../shared/teams/team.js';

/** POST /v1/orgs/{orgId}/teams: create a team; 409 team_name_taken when the name is in use. */
export const handler = operationHandler(operations.createTeam, async ({ params, body, audit, deps }) => {
  const team = await createTeam(deps.db, params.orgId, body, audit);
  return {
    status: 201,
    body: teamView(team),
    headers: { location: `/v1/orgs/${params.orgId}/teams/${team.teamId}` },
  };
});
