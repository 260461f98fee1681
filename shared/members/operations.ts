import type { OperationDoc } from '../http/operation-doc.js';
import { orgPathParams } from '../schemas.js';
import { addMemberBody, bulkRoleBody, bulkRoleResponse, listMembersQuery, memberPage, memberPathParams, memberResponse, memberWithProfileResponse, replaceMemberBody } from './schemas.js';

const base = '/v1/orgs/{orgId}/members';
export const memberOperations: OperationDoc[] = [
  { method: 'get', path: base, summary: 'List members (one index per supported sort/filter)', auth: 'bearer', params: orgPathParams, query: listMembersQuery, response: { status: 200, schema: memberPage } },
  { method: 'post', path: base, summary: 'Add a member (no mail)', auth: 'bearer', params: orgPathParams, body: addMemberBody, response: { status: 201, schema: memberResponse } },
  { method: 'post', path: `${base}/bulk-role`, summary: 'Change the role of many members, all or nothing', auth: 'bearer', params: orgPathParams, body: bulkRoleBody, response: { status: 200, schema: bulkRoleResponse } },
  { method: 'get', path: `${base}/{userId}`, summary: 'One member (admins, or the member), with their sign-in method and their IdP title and department', auth: 'bearer', params: memberPathParams, response: { status: 200, schema: memberWithProfileResponse } },
  { method: 'put', path: `${base}/{userId}`, summary: 'Replace name, email, role and team', auth: 'bearer', params: memberPathParams, body: replaceMemberBody, response: { status: 200, schema: memberResponse } },
  { method: 'delete', path: `${base}/{userId}`, summary: 'Remove a member (history kept)', auth: 'bearer', params: memberPathParams, response: { status: 204 } },
  { method: 'post', path: `${base}/{userId}/suspend`, summary: 'Suspend a member', auth: 'bearer', params: memberPathParams, response: { status: 200, schema: memberResponse } },
  { method: 'post', path: `${base}/{userId}/reactivate`, summary: 'Reactivate a member (needs a seat)', auth: 'bearer', params: memberPathParams, response: { status: 200, schema: memberResponse } },
];
