import type { OperationDoc } from '../http/operation-doc.js';
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

export const webhookOperations: OperationDoc[] = [
  {
    method: 'post',
    path: '/v1/orgs/{orgId}/webhook-secret',
    summary: 'Rotate the IdP webhook signing secret; the new `secret` is shown once, in this answer',
    auth: 'bearer',
    params: orgPathParams,
    response: { status: 200, schema: rotatedSecretResponse },
  },
  {
    method: 'put',
    path: '/v1/orgs/{orgId}/webhook-config',
    summary: 'Set or clear (null) the Authorization header value Okta Event Hooks send',
    auth: 'bearer',
    params: orgPathParams,
    body: updateWebhookConfigBody,
    response: { status: 200, schema: webhookConfigResponse },
  },
  {
    method: 'post',
    path: '/v1/webhooks/idp/{orgId}',
    summary:
      'IdP lifecycle event: Roster-Signature (t=<unix>,v1=<hex HMAC-SHA256 of "t.body">) or an Okta Event Hook (Authorization); answers its outcome, or Okta’s per-event results',
    auth: 'webhook',
    params: webhookPathParams,
    body: rosterEventBody,
    response: { status: 200, schema: rosterEventResponse },
  },
  {
    method: 'get',
    path: '/v1/webhooks/idp/{orgId}',
    summary: 'Okta Event Hook verification: echoes X-Okta-Verification-Challenge',
    auth: 'webhook',
    params: webhookPathParams,
    response: { status: 200, schema: oktaVerificationResponse },
  },
];
