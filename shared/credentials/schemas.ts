import * as z from 'zod/mini';
import type { OperationDoc } from '../http/operation-doc.js';
import { memberPathParams } from '../members/schemas.js';
import { emailAddress } from '../schemas.js';

export const tokenPathParams = z.object({
  token: z
    .string()
    .check(z.minLength(20), z.maxLength(200), z.regex(/^[A-Za-z0-9_-]+$/, 'is not a token Roster issued')),
});
export const emailConfirmedResponse = z.object({ userId: z.string(), email: z.string() });
export const forgotPasswordBody = z.strictObject({ email: emailAddress });
export const completePasswordResetBody = z.strictObject({
  password: z.string().check(z.minLength(1), z.maxLength(256)),
});

const member = '/v1/orgs/{orgId}/members/{userId}';
export const credentialOperations: OperationDoc[] = [
  {
    method: 'post',
    path: `${member}/revoke-sessions`,
    summary: 'End every session of the member now',
    auth: 'bearer',
    params: memberPathParams,
    response: { status: 204 },
  },
  {
    method: 'post',
    path: `${member}/reset-password`,
    summary: 'Mail the member a reset link (72 h); refused for SSO users',
    auth: 'bearer',
    params: memberPathParams,
    response: { status: 202 },
  },
  {
    method: 'post',
    path: `${member}/reset-mfa`,
    summary: "Disable the member's MFA factors and end their sessions",
    auth: 'bearer',
    params: memberPathParams,
    response: { status: 204 },
  },
  {
    method: 'post',
    path: '/v1/email-confirmations/{token}',
    summary: 'Confirm a new email address with the mailed token: the account takes it (single use, 72 h)',
    auth: 'none',
    params: tokenPathParams,
    response: { status: 200, schema: emailConfirmedResponse },
  },
  {
    method: 'post',
    path: '/v1/password-resets',
    summary:
      "Forgot password: mail the account at this address Roster's reset link (72 h). Always 202, whether or not the address has an account; rate-limited per address and per client",
    auth: 'none',
    body: forgotPasswordBody,
    response: { status: 202 },
  },
  {
    method: 'post',
    path: '/v1/password-resets/{token}',
    summary: 'Complete a password reset with the mailed token',
    auth: 'none',
    params: tokenPathParams,
    body: completePasswordResetBody,
    response: { status: 204 },
  },
];
