import { operationHandler } from '../../shared/http/handler.js';
import { discoverSso } from '../../shared/sso/discover-sso.js';
import * as operations from '../../shared/sso/operations.js';

/** POST /v1/sso/discovery: `{ sso: false }` or `{ sso: true, idpIdentifier }` for the email's domain. */
export const handler = operationHandler(operations.discoverSso, async ({ body, deps }) => ({
  status: 200,
  body: await discoverSso({ db: deps.db }, body.email),
}));
