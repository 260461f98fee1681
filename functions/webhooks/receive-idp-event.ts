import { httpHandler } from '../../shared/http/handler.js';
import { headerValue } from '../../shared/http/parse.js';
import { identity } from '../../shared/identity/identity.js';
import { rawBodyOf } from '../../shared/webhooks/raw-body.js';
import { receiveIdpWebhook } from '../../shared/webhooks/receive-idp-webhook.js';
import { webhookPathParams } from '../../shared/webhooks/schemas.js';
import { SIGNATURE_HEADER } from '../../shared/webhooks/signature.js';

/**
 * POST /v1/webhooks/idp/{orgId}: an IdP lifecycle event. The route authenticates itself (a
 * signature over the raw body, or Okta's header), so the body is read here, byte for byte.
 */
export const handler = httpHandler(
  { auth: { kind: 'public' }, params: webhookPathParams },
  async ({ params, event, db, audit }) => {
    const delivery = {
      orgId: params.orgId,
      signature: headerValue(event, SIGNATURE_HEADER),
      authorization: headerValue(event, 'authorization'),
      rawBody: rawBodyOf(event),
    };
    const answer = await receiveIdpWebhook({ db, identity: identity() }, delivery, audit);
    return { status: 200, body: answer.form === 'roster' ? answer.result : { results: answer.results } };
  },
);
