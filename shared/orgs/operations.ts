import type { OperationDoc } from '../http/operation-doc.js';
import { orgPathParams } from '../schemas.js';
import { meResponse } from '../me/schemas.js';
import { createOrgBody, orgResponse, seatRecountResponse, updateOrgBody } from './schemas.js';

export const orgOperations: OperationDoc[] = [
  {
    method: 'get',
    path: '/v1/me',
    summary: 'The signed-in user and their memberships',
    auth: 'bearer',
    response: { status: 200, schema: meResponse },
  },
  {
    method: 'delete',
    path: '/v1/me/memberships/{orgId}',
    summary: 'Leave an org (the last active admin cannot); audit event member.left in that org',
    auth: 'bearer',
    params: orgPathParams,
    response: { status: 204 },
  },
  {
    method: 'post',
    path: '/v1/orgs',
    summary: 'Create an org and its first admin (platform_admin)',
    auth: 'bearer',
    body: createOrgBody,
    response: { status: 201, schema: orgResponse },
  },
  {
    method: 'get',
    path: '/v1/orgs/{orgId}',
    summary: 'An org, its settings and seats',
    auth: 'bearer',
    params: orgPathParams,
    response: { status: 200, schema: orgResponse },
  },
  {
    method: 'post',
    path: '/v1/orgs/{orgId}/seats/reconcile',
    summary: "Recount the org's seats and repair drift (platform_admin)",
    auth: 'bearer',
    params: orgPathParams,
    response: { status: 200, schema: seatRecountResponse },
  },
  {
    method: 'patch',
    path: '/v1/orgs/{orgId}',
    summary: 'Change org settings (maxSeats: platform_admin)',
    auth: 'bearer',
    params: orgPathParams,
    body: updateOrgBody,
    response: { status: 200, schema: orgResponse },
  },
];
