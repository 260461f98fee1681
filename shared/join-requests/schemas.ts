import * as z from 'zod/mini';
import { pageQuery } from '../data/pagination.js';
import type { OperationDoc } from '../http/operation-doc.js';
import { memberPathParams } from '../members/schemas.js';
import { orgPathParams, resourceId } from '../schemas.js';
import { JOIN_REQUEST_STATUSES } from './join-request.js';

export const joinRequestPathParams = z.object({ orgId: resourceId, requestId: memberPathParams.shape.userId });
export const listJoinRequestsQuery = z.strictObject({
  ...pageQuery,
  status: z._default(z.enum(JOIN_REQUEST_STATUSES), 'pending'),
});
export type ListJoinRequestsQuery = z.infer<typeof listJoinRequestsQuery>;

/** A join request as the API shows it (`requestId` is the person's user id). */
export const joinRequestResponse = z.object({
  requestId: z.string(),
  orgId: z.string(),
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  status: z.enum(JOIN_REQUEST_STATUSES),
  createdAt: z.string(),
  decidedAt: z.nullable(z.string()),
  decidedBy: z.nullable(z.string()),
});
const joinRequestPage = z.object({ items: z.array(joinRequestResponse), nextCursor: z.nullable(z.string()) });

const base = '/v1/orgs/{orgId}/join-requests';
export const joinRequestOperations: OperationDoc[] = [
  {
    method: 'post',
    path: base,
    summary: 'Ask to join an org (signed-in user; allowed email domains; autoActivation joins at once)',
    auth: 'bearer',
    params: orgPathParams,
    response: { status: 201, schema: joinRequestResponse },
  },
  {
    method: 'get',
    path: base,
    summary: 'Join requests by status (default pending), newest first',
    auth: 'bearer',
    params: orgPathParams,
    query: listJoinRequestsQuery,
    response: { status: 200, schema: joinRequestPage },
  },
  {
    method: 'post',
    path: `${base}/{requestId}/approve`,
    summary: 'Approve: the person becomes an active member (needs a seat)',
    auth: 'bearer',
    params: joinRequestPathParams,
    response: { status: 200, schema: joinRequestResponse },
  },
  {
    method: 'post',
    path: `${base}/{requestId}/reject`,
    summary: 'Reject a pending request',
    auth: 'bearer',
    params: joinRequestPathParams,
    response: { status: 200, schema: joinRequestResponse },
  },
];
