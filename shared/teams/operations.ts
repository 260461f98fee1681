import type { Operation } from '../operation.js';
import { orgPathParams } from '../schemas.js';
import { createTeamBody, listTeamsQuery, teamPage, teamPathParams, teamResponse, updateTeamBody } from './schemas.js';

const base = '/v1/orgs/{orgId}/teams';
export const listTeams = {
  method: 'GET',
  handler: 'teams/list-teams',
  path: base,
  summary: "List the org's teams",
  auth: { kind: 'orgMember', permission: 'members:read' },
  params: orgPathParams,
  query: listTeamsQuery,
  response: { status: 200, schema: teamPage },
  grants: { table: { access: 'read', families: ['ORG'] } },
} satisfies Operation;

export const createTeam = {
  method: 'POST',
  handler: 'teams/create-team',
  path: base,
  summary: 'Create a team (names unique per org, case-insensitively)',
  auth: { kind: 'orgMember', permission: 'teams:manage' },
  params: orgPathParams,
  body: createTeamBody,
  response: { status: 201, schema: teamResponse },
  grants: { table: { access: 'readWrite', families: ['AUDIT', 'ORG'] } },
} satisfies Operation;

export const updateTeam = {
  method: 'PUT',
  handler: 'teams/update-team',
  path: `${base}/{teamId}`,
  summary: "Replace a team's name and description",
  auth: { kind: 'orgMember', permission: 'teams:manage' },
  params: teamPathParams,
  body: updateTeamBody,
  response: { status: 200, schema: teamResponse },
  grants: { table: { access: 'readWrite', families: ['AUDIT', 'ORG'] } },
} satisfies Operation;

export const deleteTeam = {
  method: 'DELETE',
  handler: 'teams/delete-team',
  path: `${base}/{teamId}`,
  summary: 'Delete a team and unassign its members',
  auth: { kind: 'orgMember', permission: 'teams:manage' },
  params: teamPathParams,
  response: { status: 204 },
  grants: { table: { access: 'readWrite', families: ['AUDIT', 'ORG', 'USER'] } },
} satisfies Operation;

/** The area's operations, in the order the OpenAPI document lists them. */
export const teamOperations = [listTeams, createTeam, updateTeam, deleteTeam];
