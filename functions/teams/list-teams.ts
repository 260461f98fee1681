import { httpHandler } from '../../shared/http/handler.js';
import { orgPathParams } from '../../shared/schemas.js';
import { listTeams } from '../../shared/teams/list-teams.js';
import { listTeamsQuery } from '../../shared/teams/schemas.js';

/** GET /v1/orgs/{orgId}/teams: one page of the org's teams. */
export const handler = httpHandler(
  { auth: { kind: 'orgMember', permission: 'members:manage' }, params: orgPathParams, query: listTeamsQuery },
  async ({ params, query, db }) => ({ status: 200, body: await listTeams(db, params.orgId, query) }),
);
