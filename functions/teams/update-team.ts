import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/teams/operations.js';
import { teamView } from '../../shared/teams/team.js';
import { updateTeam } from '../../shared/teams/update-team.js';

/** PUT /v1/orgs/{orgId}/teams/{teamId}: replace name and description. */
export const handler = operationHandler(operations.updateTeam, async ({ params, body, audit, deps }) => ({
  status: 200,
  body: teamView(await updateTeam(deps.db, params.orgId, params.teamId, body, audit)),
}));
