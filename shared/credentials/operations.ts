import type { PartitionFamily } from '../data/keys.js';
import type { Operation } from '../operation.js';
import { SEAL_MAIL_LINKS } from '../secrets/secrets-env.js';
import { memberPathParams } from '../members/schemas.js';
import { completePasswordResetBody, emailConfirmedResponse, forgotPasswordBody, tokenPathParams } from './schemas.js';
import { LIMITS } from '../limits.js';

/**
 * The member credential actions (shared/credentials/credential-actions.ts: revoke sessions, reset
 * password, reset MFA) and the self-service reset share one module, so one list: the union of
 * what any of them reaches (the reset's token, mail, rate limit and SSO enforcement reads).
 */
const CREDENTIAL_ACTION_FAMILIES: readonly PartitionFamily[] = [
  'AUDIT',
  'EMAIL',
  'ORG',
  'OUTBOX',
  'RATE',
  'SSODOMAIN',
  'SSOPROVIDER',
  'SSOPROVIDERS',
  'TOKEN',
  'USER',
];

const member = '/v1/orgs/{orgId}/members/{userId}';
export const revokeSessions = {
  method: 'POST',
  handler: 'credentials/revoke-sessions',
  path: `${member}/revoke-sessions`,
  summary: 'End every session of the member now',
  auth: { kind: 'orgMember', permission: 'credentials:manage', targetParam: 'userId' },
  params: memberPathParams,
  response: { status: 204 },
  grants: {
    table: { access: 'readWrite', families: CREDENTIAL_ACTION_FAMILIES },
    identity: ['cognito-idp:AdminUserGlobalSignOut'],
  },
} satisfies Operation;

export const resetPassword = {
  method: 'POST',
  handler: 'credentials/reset-password',
  path: `${member}/reset-password`,
  summary: 'Mail the member a reset link (72 h); refused for SSO users',
  auth: { kind: 'orgMember', permission: 'credentials:manage', targetParam: 'userId' },
  params: memberPathParams,
  response: { status: 202 },
  grants: { table: { access: 'readWrite', families: CREDENTIAL_ACTION_FAMILIES }, secrets: SEAL_MAIL_LINKS },
} satisfies Operation;

export const resetMfa = {
  method: 'POST',
  handler: 'credentials/reset-mfa',
  path: `${member}/reset-mfa`,
  summary: "Disable the member's MFA factors and end their sessions",
  auth: { kind: 'orgMember', permission: 'credentials:manage', targetParam: 'userId' },
  params: memberPathParams,
  response: { status: 204 },
  grants: {
    table: { access: 'readWrite', families: CREDENTIAL_ACTION_FAMILIES },
    identity: ['cognito-idp:AdminSetUserMFAPreference', 'cognito-idp:AdminUserGlobalSignOut'],
  },
} satisfies Operation;

export const confirmEmailChange = {
  method: 'POST',
  handler: 'credentials/confirm-email-change',
  path: '/v1/email-confirmations/{token}',
  summary: 'Confirm a new email address with the mailed token: the account takes it (single use, 72 h)',
  auth: { kind: 'public' },
  params: tokenPathParams,
  response: { status: 200, schema: emailConfirmedResponse },
  limit: LIMITS.credentialToken,
  grants: {
    table: { access: 'readWrite', families: ['AUDIT', 'EMAIL', 'ORG', 'OUTBOX', 'TOKEN', 'USER'] },
    identity: ['cognito-idp:AdminUpdateUserAttributes'],
  },
} satisfies Operation;

export const forgotPassword = {
  method: 'POST',
  handler: 'credentials/forgot-password',
  path: '/v1/password-resets',
  summary:
    "Forgot password: mail the account at this address Roster's reset link (72 h). Always 202, whether or not the address has an account; rate-limited per address and per client",
  auth: { kind: 'public' },
  body: forgotPasswordBody,
  response: { status: 202 },
  grants: { table: { access: 'readWrite', families: CREDENTIAL_ACTION_FAMILIES }, secrets: SEAL_MAIL_LINKS },
} satisfies Operation;

export const completePasswordReset = {
  method: 'POST',
  handler: 'credentials/complete-password-reset',
  path: '/v1/password-resets/{token}',
  summary: 'Complete a password reset with the mailed token',
  auth: { kind: 'public' },
  params: tokenPathParams,
  body: completePasswordResetBody,
  response: { status: 204 },
  limit: LIMITS.credentialToken,
  grants: {
    table: {
      access: 'readWrite',
      families: ['AUDIT', 'EMAIL', 'ORG', 'OUTBOX', 'SSODOMAIN', 'SSOPROVIDER', 'SSOPROVIDERS', 'TOKEN', 'USER'],
    },
    identity: [
      'cognito-idp:AdminCreateUser',
      'cognito-idp:AdminGetUser',
      'cognito-idp:AdminSetUserPassword',
      'cognito-idp:AdminUserGlobalSignOut',
      'cognito-idp:AdminUpdateUserAttributes',
    ],
  },
} satisfies Operation;

/** The area's operations, in the order the OpenAPI document lists them. */
export const credentialOperations = [
  revokeSessions,
  resetPassword,
  resetMfa,
  confirmEmailChange,
  forgotPassword,
  completePasswordReset,
];
