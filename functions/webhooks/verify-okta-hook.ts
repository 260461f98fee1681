import { httpHandler } from '../../shared/http/handler.js';
import { headerValue } from '../../shared/http/parse.js';
import { OKTA_CHALLENGE_HEADER } from '../../shared/webhooks/okta.js';
import { answerOktaVerification } from '../../shared/webhooks/receive-idp-webhook.js';
import { webhookPathParams } from '../../shared/webhooks/schemas.js';

/** GET /v1/webhooks/idp/{orgId}: Okta's one-time verification of the Event Hook endpoint. */
export const handler = httpHandler(
  { auth: { kind: 'public' }, params: webhookPathParams },
  async ({ params, event, db }) => {
    const body = await answerOktaVerification(
      db,
      params.orgId,
      headerValue(event, 'authorization'),
      headerValue(event, OKTA_CHALLENGE_HEADER),
    );
    return { status: 200, body, headers: { 'cache-control': 'no-store' } };
  },
);
