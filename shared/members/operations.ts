import type { Operation } from '../operation.js';
import { SEAL_MAIL_LINKS } from '../secrets/secrets-env.js';
import { orgPathParams } from '../schemas.js';
import {
  addMemberBody,
  bulkRoleBody,
  bulkRoleResponse,
  listMembersQuery,
  memberPage,
  memberPathParams,
  memberResponse,
  memberWithProfileResponse,
  replaceMemberBody,
} from './schemas.js';
import { LIMITS } from '../limits.js';

const base = '/v1/orgs/{orgId}/members';
export const listMembers = {
  method: 'GET',
  handler: 'members/list-members',
  path: base,
  summary: 'List members (one index per supported sort/filter)',
  auth: { kind: 'orgMember', permission: 'members:read' },
  params: orgPathParams,
  query: listMembersQuery,
  response: { status: 200, schema: memberPage },
  grants: { table: { access: 'read', families: ['EMAIL', 'ORG', 'USER'] } },
} satisfies Operation;

export const addMember = {
  method: 'POST',
  handler: 'members/add-member',
  path: base,
  summary: 'Add a member (no mail)',
  auth: { kind: 'orgMember', permission: 'members:manage' },
  params: orgPathParams,
  body: addMemberBody,
  response: { status: 201, schema: memberResponse },
  grants: { table: { access: 'readWrite', families: ['AUDIT', 'EMAIL', 'ORG', 'USER'] } },
} satisfies Operation;

export const bulkChangeRole = {
  method: 'POST',
  handler: 'members/bulk-change-role',
  path: `${base}/bulk-role`,
  summary: 'Change the role of many members, all or nothing',
  auth: { kind: 'orgMember', permission: 'members:manage' },
  params: orgPathParams,
  body: bulkRoleBody,
  response: { status: 200, schema: bulkRoleResponse },
  limit: LIMITS.bulk,
  grants: { table: { access: 'readWrite', families: ['AUDIT', 'ORG', 'USER'] } },
} satisfies Operation;

export const getMember = {
  method: 'GET',
  handler: 'members/get-member',
  path: `${base}/{userId}`,
  summary: 'One member (admins, or the member), with their sign-in method and their IdP title and department',
  auth: { kind: 'orgMember', permission: 'members:read', selfParam: 'userId' },
  params: memberPathParams,
  response: { status: 200, schema: memberWithProfileResponse },
  // shared/members/get-member.ts: one BatchGetItem of the membership, user, SCIM profile and mail
  // state (ORG#, USER#), one Query of the user's memberships (GSI1 USER#); it writes nothing.
  grants: { table: { access: 'read', families: ['ORG', 'USER'] } },
} satisfies Operation;

export const replaceMember = {
  method: 'PUT',
  handler: 'members/replace-member',
  path: `${base}/{userId}`,
  summary: 'Replace name, email, role and team',
  auth: { kind: 'orgMember', permission: 'members:manage' },
  params: memberPathParams,
  body: replaceMemberBody,
  response: { status: 200, schema: memberResponse },
  grants: {
    table: { access: 'readWrite', families: ['AUDIT', 'EMAIL', 'ORG', 'OUTBOX', 'TOKEN', 'USER'] },
    identity: ['cognito-idp:AdminUpdateUserAttributes'],
    secrets: SEAL_MAIL_LINKS,
  },
} satisfies Operation;

export const removeMember = {
  method: 'DELETE',
  handler: 'members/remove-member',
  path: `${base}/{userId}`,
  summary: 'Remove a member (history kept)',
  auth: { kind: 'orgMember', permission: 'members:manage', targetParam: 'userId' },
  params: memberPathParams,
  response: { status: 204 },
  grants: {
    table: { access: 'readWrite', families: ['AUDIT', 'EMAIL', 'ORG', 'USER'] },
    identity: ['cognito-idp:AdminUserGlobalSignOut'],
  },
} satisfies Operation;

export const suspendMember = {
  method: 'POST',
  handler: 'members/suspend-member',
  path: `${base}/{userId}/suspend`,
  summary: 'Suspend a member',
  auth: { kind: 'orgMember', permission: 'members:manage', targetParam: 'userId' },
  params: memberPathParams,
  response: { status: 200, schema: memberResponse },
  grants: {
    table: { access: 'readWrite', families: ['AUDIT', 'EMAIL', 'ORG', 'USER'] },
    identity: ['cognito-idp:AdminUserGlobalSignOut'],
  },
} satisfies Operation;

export const reactivateMember = {
  method: 'POST',
  handler: 'members/reactivate-member',
  path: `${base}/{userId}/reactivate`,
  summary: 'Reactivate a member (needs a seat)',
  auth: { kind: 'orgMember', permission: 'members:manage', targetParam: 'userId' },
  params: memberPathParams,
  response: { status: 200, schema: memberResponse },
  grants: { table: { access: 'readWrite', families: ['AUDIT', 'EMAIL', 'ORG', 'USER'] } },
} satisfies Operation;

/** The area's operations, in the order the OpenAPI document lists them. */
export const memberOperations = [
  listMembers,
  addMember,
  bulkChangeRole,
  getMember,
  replaceMember,
  removeMember,
  suspendMember,
  reactivateMember,
];
