import * as z from 'zod/mini';
import { pageQuery } from '../data/pagination.js';
import { role } from '../members/schemas.js';
import { displayName, resourceId } from '../schemas.js';
import { DELIVERY_STATES, INVITATION_STATUSES } from './invitation.js';

export const invitationPathParams = z.object({ orgId: resourceId, invitationId: resourceId });

/**
 * `emails` is one string (comma, semicolon or line separated, as pasted or from a CSV column)
 * or an array; the 100-address cap applies after splitting (see parseEmailList).
 */
export const createInvitationsBody = z.strictObject({
  emails: z.union([
    z.string().check(z.maxLength(100 * 256)),
    z.array(z.string().check(z.maxLength(256))).check(z.minLength(1), z.maxLength(100)),
  ]),
  role,
  teamId: z.optional(z.nullable(resourceId)),
  message: z.optional(z.nullable(z.string().check(z.trim(), z.maxLength(1000)))),
});
export type CreateInvitationsInput = z.infer<typeof createInvitationsBody>;

export const listInvitationsQuery = z.strictObject({ ...pageQuery, status: z.optional(z.enum(INVITATION_STATUSES)) });
export type ListInvitationsQuery = z.infer<typeof listInvitationsQuery>;

/** A new user accepts with a name and a password (a signed-in user sends a bearer token instead). */
export const acceptInvitationBody = z.strictObject({
  name: displayName,
  password: z.string().check(z.minLength(1), z.maxLength(256)),
});
export type AcceptInvitationInput = z.infer<typeof acceptInvitationBody>;
/** With a bearer token there is nothing to send: the body, if any, is empty. */
export const acceptAsUserBody = z.strictObject({});

export const REFUSAL_CODES = ['invalid_email', 'already_member', 'already_invited', 'seat_limit_reached'] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

export const invitationResponse = z.object({
  invitationId: z.string(),
  email: z.string(),
  role,
  teamId: z.nullable(z.string()),
  status: z.enum(INVITATION_STATUSES),
  invitedBy: z.object({ userId: z.string(), email: z.string() }),
  createdAt: z.string(),
  expiresAt: z.string(),
  delivery: z.enum(DELIVERY_STATES),
  deliveryAt: z.nullable(z.string()),
  deliveryError: z.nullable(z.string()),
});
export const createInvitationsResponse = z.object({
  created: z.array(invitationResponse),
  refused: z.array(z.object({ email: z.string(), code: z.enum(REFUSAL_CODES), detail: z.string() })),
});
export const invitationPage = z.object({ items: z.array(invitationResponse), nextCursor: z.nullable(z.string()) });
export const invitationPreviewResponse = z.object({
  orgName: z.string(),
  inviter: z.object({ name: z.optional(z.string()), email: z.string() }),
  role,
  email: z.string(),
  expiresAt: z.string(),
});
