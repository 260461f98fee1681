import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/webhooks/operations.js';
import { headerValue } from '../../shared/http/parse.js';
import { identity } from '../../shared/identity/identity.js';
import { dataKeys } from '../../shared/secrets/data-keys.js';
import { rawBodyOf } from '../../shared/http/raw-body.js';
import { receiveIdpWebhook } from '../../shared/webhooks/receive-idp-webhook.js';
import { SIGNATURE_HEADER } from '../../shared/webhooks/signature.js';

/**
 * POST /v1/webhooks/idp/{orgId}: an IdP lifecycle event. The route authenticates itself (a
 * signature over the raw body, or Okta's header), so the body is read here, byte for byte.
 */
export const handler = operationHandler(
  operations.receiveIdpEvent,
  { identity, secrets: dataKeys },
  async ({ params, event, audit, deps }) => {
    const delivery = {
      orgId: params.orgId,
      signature: headerValue(event, SIGNATURE_HEADER),
      authorization: headerValue(event, 'authorization'),
      rawBody: rawBodyOf(event),
    };
    const answer = await receiveIdpWebhook(deps, delivery, audit);
    return { status: 200, body: answer.form === 'roster' ? answer.result : { results: answer.results } };
  },
);
