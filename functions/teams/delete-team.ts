import { httpHandler } from '../../shared/http/handler.js';
import { deleteTeam } from '../../shared/teams/delete-team.js';
import { teamPathParams } from '../../shared/teams/schemas.js';

/** DELETE /v1/orgs/{orgId}/teams/{teamId}: delete the team, then unassign its members; 204. */
export const handler = httpHandler(
  { auth: { kind: 'orgMember', permission: 'members:manage' }, params: teamPathParams },
  async ({ params, db, audit }) => {
    await deleteTeam(db, params.orgId, params.teamId, audit);
    return { status: 204 };
  },
);
