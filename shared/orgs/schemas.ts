import * as z from 'zod/mini';
import { displayName, emailAddress, emailDomain, roleKey } from '../schemas.js';

export const MAX_SEATS_LIMIT = 1_000_000;
const maxSeats = z.int().check(z.minimum(1), z.maximum(MAX_SEATS_LIMIT));

export const createOrgBody = z.strictObject({
  name: displayName,
  maxSeats,
  admin: z.strictObject({ email: emailAddress, name: displayName }),
});
export type CreateOrgInput = z.infer<typeof createOrgBody>;

/** Most group → role rows an org maps; each row is compared on every Group membership change. */
export const MAX_SCIM_GROUP_ROLES = 50;
const scimDeleteAction = z
  .enum(['deprovision', 'remove'])
  .check(
    z.describe(
      'What DELETE /scim/v2/Users/{id} does: deprovision (default; row and history kept) or remove the membership (seat freed, audit history kept).',
    ),
  );
/** A role of the org, built-in or custom (checked against the org's roles when saved, shared/orgs/update-org.ts). */
const scimGroupRole = z.strictObject({ group: displayName, role: roleKey });

/**
 * SCIM settings patch: `groupRoles` replaces the whole mapping (group displayNames, unique
 * case-insensitively); `deleteAction` says what DELETE /scim/v2/Users does. Fields left out keep their value.
 */
export const scimSettingsPatch = z
  .strictObject({
    groupRoles: z.optional(
      z.array(scimGroupRole).check(
        z.maxLength(MAX_SCIM_GROUP_ROLES),
        z.refine(
          (rows) => new Set(rows.map((r) => r.group.trim().toLowerCase())).size === rows.length,
          'each group may be mapped once',
        ),
        z.describe(
          'Replaces the group → role mapping. A member a SCIM Group request adds to a group of this displayName (case-insensitive) gets the role; one it removes becomes member again (last active admin refused). Applies to Group requests from the time it is set, not retroactively.',
        ),
      ),
    ),
    deleteAction: z.optional(scimDeleteAction),
  })
  .check(z.refine((body) => Object.keys(body).length > 0, 'name at least one SCIM setting to change'));

export const updateOrgBody = z
  .strictObject({
    name: z.optional(displayName),
    maxSeats: z.optional(maxSeats),
    autoActivation: z.optional(z.boolean()),
    allowedEmailDomains: z.optional(z.array(emailDomain).check(z.maxLength(50))),
    verifiedDomains: z.optional(
      z
        .array(emailDomain)
        .check(
          z.maxLength(50),
          z.describe(
            'platform_admin only: domains proven to be the org’s; the org manages accounts whose email lies in one (DESIGN.md section 1)',
          ),
        ),
    ),
    mfaRequired: z.optional(z.boolean()),
    ssoRequired: z.optional(
      z
        .boolean()
        .check(
          z.describe(
            'Accounts whose email lies in a domain of one of the org’s SSO connections sign in only through it (no password sign-in or reset); turning it on needs a connection (409 sso_connection_required)',
          ),
        ),
    ),
    ssoBreakGlassForAdmins: z.optional(
      z
        .boolean()
        .check(
          z.describe(
            'With ssoRequired, active members holding org:manage keep their password as a break-glass way in (default true)',
          ),
        ),
    ),
    invitationTtlHours: z.optional(z.int().check(z.minimum(1), z.maximum(720))),
    scim: z.optional(scimSettingsPatch),
  })
  .check(z.refine((body) => Object.keys(body).length > 0, 'name at least one field to change'));
export type UpdateOrgInput = z.infer<typeof updateOrgBody>;

export const orgSettingsSchema = z.object({
  autoActivation: z.boolean(),
  allowedEmailDomains: z.array(z.string()),
  mfaRequired: z.boolean(),
  invitationTtlHours: z.int(),
  scim: z.object({
    groupRoles: z.array(z.object({ group: z.string(), role: z.string() })),
    deleteAction: scimDeleteAction,
  }),
  verifiedDomains: z.array(z.string()),
  ssoRequired: z.boolean(),
  ssoBreakGlassForAdmins: z.boolean(),
});

export const orgResponse = z.object({
  orgId: z.string(),
  name: z.string(),
  maxSeats: z.int(),
  seatsUsed: z.int(),
  memberCount: z.int(),
  activeAdminCount: z
    .int()
    .check(
      z.describe(
        'Active org_admin members: the last one cannot be demoted, suspended or removed, so the console shows those actions disabled with the reason',
      ),
    ),
  settings: orgSettingsSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** POST /v1/orgs/{orgId}/seats/reconcile: the counter before, the recount, the drift repaired, and the recount's parts. */
export const seatRecountResponse = z.object({
  seatsUsed: z.int(),
  recounted: z.int(),
  drift: z.int(),
  activeMembers: z.int(),
  pendingInvitations: z.int(),
  reserved: z.int(),
});
