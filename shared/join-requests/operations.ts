import type { Operation } from '../operation.js';
import { orgPathParams } from '../schemas.js';
import {
  approveJoinRequestBody,
  joinRequestPage,
  joinRequestPathParams,
  joinRequestResponse,
  listJoinRequestsQuery,
} from './schemas.js';
import { LIMITS } from '../limits.js';

const base = '/v1/orgs/{orgId}/join-requests';
export const requestToJoin = {
  method: 'POST',
  handler: 'join-requests/request-to-join',
  path: base,
  summary:
    'Ask to join an org (signed-in user; allowed email domains; autoActivation joins at once). Always 202, whether or not the org exists or takes the request (409 already_member, 429 join_request_cooldown after a rejection)',
  auth: { kind: 'signedIn' },
  params: orgPathParams,
  response: { status: 202 },
  limit: LIMITS.joinRequests,
  grants: { table: { access: 'readWrite', families: ['AUDIT', 'ORG', 'USER'] } },
} satisfies Operation;

export const listJoinRequests = {
  method: 'GET',
  handler: 'join-requests/list-join-requests',
  path: base,
  summary: 'Join requests by status (default pending), newest first',
  auth: { kind: 'orgMember', permission: 'members:manage' },
  params: orgPathParams,
  query: listJoinRequestsQuery,
  response: { status: 200, schema: joinRequestPage },
  grants: { table: { access: 'read', families: ['AUDIT', 'ORG', 'USER'] } },
} satisfies Operation;

export const approveJoinRequest = {
  method: 'POST',
  handler: 'join-requests/approve-join-request',
  path: `${base}/{requestId}/approve`,
  summary:
    'Approve: the person becomes an active member (needs a seat) with the body’s role (default member; the body may be left out)',
  auth: { kind: 'orgMember', permission: 'members:manage' },
  params: joinRequestPathParams,
  body: approveJoinRequestBody,
  bodyOptional: true,
  response: { status: 200, schema: joinRequestResponse },
  grants: { table: { access: 'readWrite', families: ['AUDIT', 'ORG', 'USER'] } },
} satisfies Operation;

export const rejectJoinRequest = {
  method: 'POST',
  handler: 'join-requests/reject-join-request',
  path: `${base}/{requestId}/reject`,
  summary: 'Reject a pending request',
  auth: { kind: 'orgMember', permission: 'members:manage' },
  params: joinRequestPathParams,
  response: { status: 200, schema: joinRequestResponse },
  grants: { table: { access: 'readWrite', families: ['AUDIT', 'ORG', 'USER'] } },
} satisfies Operation;

/** The area's operations, in the order the OpenAPI document lists them. */
export const joinRequestOperations = [requestToJoin, listJoinRequests, approveJoinRequest, rejectJoinRequest];
