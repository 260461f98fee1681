import * as z from 'zod/mini';
import { pageQuery } from '../data/pagination.js';
import { memberPathParams } from '../members/schemas.js';
import { resourceId, roleKey } from '../schemas.js';
import { JOIN_REQUEST_STATUSES } from './join-request.js';

export const joinRequestPathParams = z.object({ orgId: resourceId, requestId: memberPathParams.shape.userId });
export const listJoinRequestsQuery = z.strictObject({
  ...pageQuery,
  status: z._default(z.enum(JOIN_REQUEST_STATUSES), 'pending'),
});
export type ListJoinRequestsQuery = z.infer<typeof listJoinRequestsQuery>;

/** POST …/approve: the role the person gets (any role of the org the approver may give); the body may be left out. */
export const approveJoinRequestBody = z.strictObject({
  role: z.optional(
    roleKey.check(z.describe('A role of the org (built-in or custom) the approver may give; default member')),
  ),
});
export type ApproveJoinRequestInput = z.infer<typeof approveJoinRequestBody>;

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
export const joinRequestPage = z.object({ items: z.array(joinRequestResponse), nextCursor: z.nullable(z.string()) });
