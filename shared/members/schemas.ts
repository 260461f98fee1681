import * as z from 'zod/mini';
import { pageQuery } from '../data/pagination.js';
import { displayName, emailAddress, resourceId, roleKey } from '../schemas.js';
import { MEMBERSHIP_SOURCES, MEMBERSHIP_STATUSES } from './membership.js';
import { TRANSACTION_ACTION_LIMIT } from '../data/dynamodb-limits.js';
import { MAX_SEARCH_TERMS } from './search-terms.js';

export const role = roleKey;

export const memberPathParams = z.object({
  orgId: resourceId,
  userId: z.string().check(z.minLength(1), z.maxLength(128), z.regex(/^[A-Za-z0-9-]+$/, 'must be a user id')),
});

export const addMemberBody = z.strictObject({
  name: displayName,
  email: emailAddress,
  role,
  teamId: z.optional(z.nullable(resourceId)),
});
export type AddMemberInput = z.infer<typeof addMemberBody>;

/** PUT is a full replace: every field is required; `teamId: null` unassigns. */
export const replaceMemberBody = z.strictObject({
  name: displayName,
  email: emailAddress,
  role,
  teamId: z.nullable(resourceId),
});
export type ReplaceMemberInput = z.infer<typeof replaceMemberBody>;

/**
 * Most user ids one bulk request may name: all of them change in one transaction (100 actions
 * at most), which also carries the org's counters, the actor check and the audit event. Each
 * member's write is its membership plus every search-term slot (membershipWriteSteps).
 */
export const BULK_ROLE_LIMIT = Math.floor((TRANSACTION_ACTION_LIMIT - 3) / (1 + MAX_SEARCH_TERMS));
export const bulkRoleBody = z.strictObject({
  userIds: z.array(memberPathParams.shape.userId).check(z.minLength(1), z.maxLength(BULK_ROLE_LIMIT)),
  role,
});
export type BulkRoleInput = z.infer<typeof bulkRoleBody>;

export const MEMBER_SORTS = ['name', 'email', 'createdAt', 'lastLoginAt', 'lastActiveAt'] as const;

export const listMembersQuery = z.strictObject({
  ...pageQuery,
  q: z.optional(z.string().check(z.trim(), z.toLowerCase(), z.minLength(1), z.maxLength(200))),
  status: z.optional(z.enum(MEMBERSHIP_STATUSES)),
  role: z.optional(role),
  teamId: z.optional(resourceId),
  /** Members not active since this instant (or never): sorted by lastActiveAt. */
  inactiveSince: z.optional(z.iso.datetime()),
  sort: z._default(z.enum(MEMBER_SORTS), 'name'),
  order: z._default(z.enum(['asc', 'desc']), 'asc'),
});
export type ListMembersQuery = z.infer<typeof listMembersQuery>;

export const memberResponse = z.object({
  orgId: z.string(),
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  role,
  teamId: z.nullable(z.string()),
  status: z.enum(MEMBERSHIP_STATUSES),
  source: z.enum(MEMBERSHIP_SOURCES),
  createdAt: z.string(),
  updatedAt: z.string(),
  lastLoginAt: z.nullable(z.string()),
  lastActiveAt: z.nullable(z.string()),
  pendingEmail: z
    .nullable(z.string())
    .check(z.describe('A new address the person has not confirmed yet; the account keeps `email` until they do')),
});
/** A member with how they sign in: `{kind:'password'}` or `{kind:'sso', idp}` (the SSO badge). */
export const memberDetailsResponse = z.extend(memberResponse, {
  managed: z
    .boolean()
    .check(
      z.describe(
        'Whether this org manages the account (email in a verified domain, or the org created it and is its only org; never a platform operator): only then may it change the email, reset MFA, block sign-in or sign the person out everywhere. In a list page, a home org’s row is true while it created the account; the single-member answer and every action decide exactly.',
      ),
    ),
  authSource: z.union([
    z.object({ kind: z.literal('password') }),
    z.object({ kind: z.literal('sso'), idp: z.string() }),
  ]),
});
/** One member (GET …/members/{userId}): also the title and department their IdP keeps in Roster. */
export const memberWithProfileResponse = z.extend(memberDetailsResponse, {
  title: z
    .nullable(z.string())
    .check(z.describe('Job title from the IdP (SCIM `title`); null when none was provisioned')),
  department: z
    .nullable(z.string())
    .check(
      z.describe('Department from the IdP (SCIM enterprise extension `department`); null when none was provisioned'),
    ),
  credentialMail: z
    .nullable(
      z.object({
        kind: z.enum(['password_reset', 'password_setup', 'email_confirmation']),
        state: z.enum(['queued', 'sent', 'failed']),
        reason: z
          .nullable(z.string())
          .check(z.describe("SES's reason when failed (e.g. a refused address), else null")),
        at: z.string().check(z.describe('When it was queued, then when it was sent or failed (ISO-8601)')),
      }),
    )
    .check(
      z.describe(
        'The last credential mail Roster sent this member (password reset, set-password, email-change confirmation) and its delivery state; a failed one can be resent with POST /v1/orgs/{orgId}/mail/redrive. Null when none was sent.',
      ),
    ),
});
/** POST …/members/bulk-role: the ids whose role changed and those that already had it. */
export const bulkRoleResponse = z.object({ changed: z.array(z.string()), unchanged: z.array(z.string()) });
export const memberPage = z.object({ items: z.array(memberDetailsResponse), nextCursor: z.nullable(z.string()) });
