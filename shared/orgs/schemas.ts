import * as z from 'zod/mini';
import { displayName, emailAddress, emailDomain } from '../schemas.js';

export const MAX_SEATS_LIMIT = 1_000_000;
const maxSeats = z.int().check(z.minimum(1), z.maximum(MAX_SEATS_LIMIT));

export const createOrgBody = z.strictObject({
  name: displayName,
  maxSeats,
  admin: z.strictObject({ email: emailAddress, name: displayName }),
});
export type CreateOrgInput = z.infer<typeof createOrgBody>;

export const updateOrgBody = z
  .strictObject({
    name: z.optional(displayName),
    maxSeats: z.optional(maxSeats),
    autoActivation: z.optional(z.boolean()),
    allowedEmailDomains: z.optional(z.array(emailDomain).check(z.maxLength(50))),
    mfaRequired: z.optional(z.boolean()),
    invitationTtlHours: z.optional(z.int().check(z.minimum(1), z.maximum(720))),
  })
  .check(z.refine((body) => Object.keys(body).length > 0, 'name at least one field to change'));
export type UpdateOrgInput = z.infer<typeof updateOrgBody>;

export const orgSettingsSchema = z.object({
  autoActivation: z.boolean(),
  allowedEmailDomains: z.array(z.string()),
  mfaRequired: z.boolean(),
  invitationTtlHours: z.int(),
});

export const orgResponse = z.object({
  orgId: z.string(),
  name: z.string(),
  maxSeats: z.int(),
  seatsUsed: z.int(),
  memberCount: z.int(),
  settings: orgSettingsSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});
