import type { Operation } from '../operation.js';
import { orgPathParams } from '../schemas.js';
import { createRoleBody, roleList, rolePathParams, roleResponse, updateRoleBody } from './schemas.js';

const base = '/v1/orgs/{orgId}/roles';
export const listRoles = {
  method: 'GET',
  handler: 'roles/list-roles',
  path: base,
  summary: "The org's roles (built-in and its own) and Roster's permission catalogue",
  auth: { kind: 'orgMember', permission: 'org:manage' },
  params: orgPathParams,
  response: { status: 200, schema: roleList },
  grants: { table: { access: 'read', families: ['AUDIT', 'ORG', 'SSODOMAIN', 'SSOPROVIDER', 'SSOPROVIDERS'] } },
} satisfies Operation;

export const createRole = {
  method: 'POST',
  handler: 'roles/create-role',
  path: base,
  summary: 'Define a role from permissions (no permission the caller lacks)',
  auth: { kind: 'orgMember', permission: 'org:manage' },
  params: orgPathParams,
  body: createRoleBody,
  response: { status: 201, schema: roleResponse },
  grants: { table: { access: 'readWrite', families: ['AUDIT', 'ORG', 'SSODOMAIN', 'SSOPROVIDER', 'SSOPROVIDERS'] } },
} satisfies Operation;

export const updateRole = {
  method: 'PUT',
  handler: 'roles/update-role',
  path: `${base}/{key}`,
  summary: "Replace a custom role's name, description and permissions (a role in use keeps org:manage as it is)",
  auth: { kind: 'orgMember', permission: 'org:manage' },
  params: rolePathParams,
  body: updateRoleBody,
  response: { status: 200, schema: roleResponse },
  grants: { table: { access: 'readWrite', families: ['AUDIT', 'ORG', 'SSODOMAIN', 'SSOPROVIDER', 'SSOPROVIDERS'] } },
} satisfies Operation;

export const deleteRole = {
  method: 'DELETE',
  handler: 'roles/delete-role',
  path: `${base}/{key}`,
  summary: 'Delete a custom role nobody holds',
  auth: { kind: 'orgMember', permission: 'org:manage' },
  params: rolePathParams,
  response: { status: 204 },
  grants: { table: { access: 'readWrite', families: ['AUDIT', 'ORG', 'SSODOMAIN', 'SSOPROVIDER', 'SSOPROVIDERS'] } },
} satisfies Operation;

export const roleOperations = [listRoles, createRole, updateRole, deleteRole] as const;
