import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/webhooks/operations.js';
import { headerValue } from '../../shared/http/parse.js';
import { OKTA_CHALLENGE_HEADER } from '../../shared/webhooks/okta.js';
import { answerOktaVerification } from '../../shared/webhooks/receive-idp-webhook.js';

/** GET /v1/webhooks/idp/{orgId}: Okta's one-time verification of the Event Hook endpoint. */
export const handler = operationHandler(operations.verifyOktaHook, async ({ params, event, deps }) => {
  const body = await answerOktaVerification(
    deps.db,
    params.orgId,
    headerValue(event, 'authorization'),
    headerValue(event, OKTA_CHALLENGE_HEADER),
  );
  return { status: 200, body, headers: { 'cache-control': 'no-store' } };
});
