import type { Operation } from '../operation.js';
import { SECRET_PURPOSES } from '../secrets/secrets-env.js';
import { orgPathParams } from '../schemas.js';
import {
  oktaVerificationResponse,
  rosterEventBody,
  rosterEventResponse,
  rotatedSecretResponse,
  updateWebhookConfigBody,
  webhookConfigResponse,
  webhookPathParams,
} from './schemas.js';
import { LIMITS } from '../limits.js';

export const rotateWebhookSecret = {
  method: 'POST',
  handler: 'webhooks/rotate-webhook-secret',
  path: '/v1/orgs/{orgId}/webhook-secret',
  summary: 'Rotate the IdP webhook signing secret; the new `secret` is shown once, in this answer',
  auth: { kind: 'orgMember', permission: 'scim:manage' },
  params: orgPathParams,
  response: { status: 200, schema: rotatedSecretResponse },
  limit: LIMITS.webhookSettings,
  grants: {
    table: { access: 'readWrite', families: ['AUDIT', 'ORG'] },
    secrets: { access: 'seal', purpose: SECRET_PURPOSES.webhookSigningSecret },
  },
} satisfies Operation;

export const updateWebhookConfig = {
  method: 'PUT',
  handler: 'webhooks/update-webhook-config',
  path: '/v1/orgs/{orgId}/webhook-config',
  summary: 'Set or clear (null) the Authorization header value Okta Event Hooks send',
  auth: { kind: 'orgMember', permission: 'scim:manage' },
  params: orgPathParams,
  body: updateWebhookConfigBody,
  response: { status: 200, schema: webhookConfigResponse },
  limit: LIMITS.webhookSettings,
  grants: { table: { access: 'readWrite', families: ['AUDIT', 'ORG'] } },
} satisfies Operation;

export const receiveIdpEvent = {
  method: 'POST',
  handler: 'webhooks/receive-idp-event',
  path: '/v1/webhooks/idp/{orgId}',
  summary:
    'IdP lifecycle event: Roster-Signature (t=<unix>,v1=<hex HMAC-SHA256 of "t.body">) or an Okta Event Hook (Authorization); answers its outcome, or Okta’s per-event results',
  auth: { kind: 'webhook' },
  params: webhookPathParams,
  body: rosterEventBody,
  rawBody: true,
  response: { status: 200, schema: rosterEventResponse },
  limit: LIMITS.idpEvents,
  grants: {
    table: { access: 'readWrite', families: ['AUDIT', 'EMAIL', 'ORG', 'USER', 'WEBHOOK'] },
    identity: ['cognito-idp:AdminUserGlobalSignOut'],
    secrets: { access: 'open', purpose: SECRET_PURPOSES.webhookSigningSecret },
  },
} satisfies Operation;

export const verifyOktaHook = {
  method: 'GET',
  handler: 'webhooks/verify-okta-hook',
  path: '/v1/webhooks/idp/{orgId}',
  summary: 'Okta Event Hook verification: echoes X-Okta-Verification-Challenge',
  auth: { kind: 'webhook' },
  params: webhookPathParams,
  response: { status: 200, schema: oktaVerificationResponse },
  limit: LIMITS.idpEvents,
  grants: { table: { access: 'read', families: ['AUDIT', 'EMAIL', 'ORG', 'USER', 'WEBHOOK'] } },
} satisfies Operation;

/** The area's operations, in the order the OpenAPI document lists them. */
export const webhookOperations = [rotateWebhookSecret, updateWebhookConfig, receiveIdpEvent, verifyOktaHook];
