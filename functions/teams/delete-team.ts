import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/teams/operations.js';
import { deleteTeam } from '../../shared/teams/delete-team.js';

/** DELETE /v1/orgs/{orgId}/teams/{teamId}: delete the team, then unassign its members; 204. */
export const handler = operationHandler(operations.deleteTeam, async ({ params, audit, deps }) => {
  await deleteTeam(deps.db, params.orgId, params.teamId, audit);
  return { status: 204 };
});
