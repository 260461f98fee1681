import type { OperationDoc } from '../http/operation-doc.js';
import { orgPathParams } from '../schemas.js';
import { createTeamBody, listTeamsQuery, teamPage, teamPathParams, teamResponse, updateTeamBody } from './schemas.js';

const base = '/v1/orgs/{orgId}/teams';
export const teamOperations: OperationDoc[] = [
  {
    method: 'get',
    path: base,
    summary: "List the org's teams",
    auth: 'bearer',
    params: orgPathParams,
    query: listTeamsQuery,
    response: { status: 200, schema: teamPage },
  },
  {
    method: 'post',
    path: base,
    summary: 'Create a team (names unique per org, case-insensitively)',
    auth: 'bearer',
    params: orgPathParams,
    body: createTeamBody,
    response: { status: 201, schema: teamResponse },
  },
  {
    method: 'put',
    path: `${base}/{teamId}`,
    summary: "Replace a team's name and description",
    auth: 'bearer',
    params: teamPathParams,
    body: updateTeamBody,
    response: { status: 200, schema: teamResponse },
  },
  {
    method: 'delete',
    path: `${base}/{teamId}`,
    summary: 'Delete a team and unassign its members',
    auth: 'bearer',
    params: teamPathParams,
    response: { status: 204 },
  },
];
