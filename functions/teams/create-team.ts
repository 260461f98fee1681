import { httpHandler } from '../../shared/http/handler.js';
import { orgPathParams } from '../../shared/schemas.js';
import { createTeam } from '../../shared/teams/create-team.js';
import { createTeamBody } from '../../shared/teams/schemas.js';
import { teamView } from '../../shared/teams/team.js';

/** POST /v1/orgs/{orgId}/teams: create a team; 409 team_name_taken when the name is in use. */
export const handler = httpHandler(
  { auth: { kind: 'orgMember', permission: 'members:manage' }, params: orgPathParams, body: createTeamBody },
  async ({ params, body, db, audit }) => {
    const team = await createTeam(db, params.orgId, body, audit);
    return {
      status: 201,
      body: teamView(team),
      headers: { location: `/v1/orgs/${params.orgId}/teams/${team.teamId}` },
    };
  },
);
