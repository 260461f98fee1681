import * as z from 'zod/mini';
import { memberDetailsResponse, memberResponse } from '../members/schemas.js';

/** GET /v1/me: the signed-in user (null for an operator Roster has no user item for) and their memberships. */
export const meResponse = z.object({
  userId: z.string(),
  isPlatformAdmin: z.boolean(),
  user: z.nullable(
    z.object({
      userId: z.string(),
      email: z.string(),
      name: z.string(),
      authSource: memberDetailsResponse.shape.authSource,
      mfaEnabled: z.boolean(),
      lastLoginAt: z.nullable(z.string()),
      createdAt: z.string(),
    }),
  ),
  memberships: z.array(
    z.extend(memberResponse, {
      orgName: z.nullable(z.string()),
      /** What the membership's role holds in that org: Roster's permissions and the app's own (app:<name>). */
      permissions: z.array(z.string()),
    }),
  ),
});

/** PUT /v1/me/mfa: the person's own authenticator-app factor, on (after a verified code) or off. */
export const setMfaBody = z.strictObject({ enabled: z.boolean() });
export const setMfaResponse = z.object({ mfaEnabled: z.boolean() });
