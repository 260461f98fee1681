import { httpHandler } from '../../shared/http/handler.js';
import { teamPathParams, updateTeamBody } from '../../shared/teams/schemas.js';
import { teamView } from '../../shared/teams/team.js';
import { updateTeam } from '../../shared/teams/update-team.js';

/** PUT /v1/orgs/{orgId}/teams/{teamId}: replace name and description. */
export const handler = httpHandler(
  { auth: { kind: 'orgMember', permission: 'members:manage' }, params: teamPathParams, body: updateTeamBody },
  async ({ params, body, db, audit }) => ({
    status: 200,
    body: teamView(await updateTeam(db, params.orgId, params.teamId, body, audit)),
  }),
);
