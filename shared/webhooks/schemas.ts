import * as z from 'zod/mini';
import { emailAddress, orgPathParams, trimmedString } from '../schemas.js';

export const webhookPathParams = orgPathParams;

export const updateWebhookConfigBody = z.strictObject({
  /** The exact Authorization header value Okta sends; null clears it. */
  oktaAuthorizationHeader: z.optional(z.nullable(z.string().check(z.minLength(16), z.maxLength(1024)))),
});
export type UpdateWebhookConfigInput = z.infer<typeof updateWebhookConfigBody>;

export const webhookConfigResponse = z.object({
  orgId: z.string(),
  signingSecretConfigured: z.boolean(),
  secretRotatedAt: z.nullable(z.string()),
  oktaAuthorizationConfigured: z.boolean(),
  updatedAt: z.nullable(z.string()),
});
export const rotatedSecretResponse = z.object({ ...webhookConfigResponse.shape, secret: z.string() });

export const ROSTER_EVENT_TYPES = ['user.deactivated', 'user.reactivated', 'user.deleted'] as const;
export type RosterEventType = (typeof ROSTER_EVENT_TYPES)[number];

/** A Roster-signed lifecycle event; unknown fields are ignored, as IdPs add their own. */
export const rosterEventBody = z.object({
  id: trimmedString(1, 200),
  type: z.enum(ROSTER_EVENT_TYPES),
  data: z
    .object({ email: z.optional(emailAddress), externalId: z.optional(trimmedString(1, 500)) })
    .check(
      z.refine((d) => d.email !== undefined || d.externalId !== undefined, 'name the user by email or externalId'),
    ),
});
export type RosterEvent = z.infer<typeof rosterEventBody>;

/** An Okta Event Hook delivery: only the fields the mapping reads are checked. */
export const oktaHookBody = z.object({
  eventId: z.optional(z.string()),
  /** When Okta sent the delivery (ISO 8601); an event without its own `published` is dated by it. */
  eventTime: z.optional(z.string()),
  data: z.object({
    events: z
      .array(
        z.object({
          uuid: trimmedString(1, 200),
          /** When the event happened in Okta (ISO 8601): what bounds a replay of a captured delivery. */
          published: z.optional(z.string()),
          eventType: z.string(),
          target: z.optional(
            z.array(
              z.object({
                type: z.optional(z.string()),
                alternateId: z.optional(z.string()),
                id: z.optional(z.string()),
              }),
            ),
          ),
        }),
      )
      .check(z.maxLength(100)),
  }),
});
export type OktaHook = z.infer<typeof oktaHookBody>;

export const webhookOutcome = z.object({
  eventId: z.string(),
  type: z.string(),
  outcome: z.enum(['changed', 'unchanged', 'duplicate', 'ignored', 'refused']),
  userId: z.nullable(z.string()),
  status: z.nullable(z.string()),
  duplicate: z.boolean(),
  code: z.optional(z.string()),
  detail: z.optional(z.string()),
});
export const rosterEventResponse = webhookOutcome;
export const oktaHookResponse = z.object({ results: z.array(webhookOutcome) });
export const oktaVerificationResponse = z.object({ verification: z.string() });
