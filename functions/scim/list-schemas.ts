import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/scim/operations.js';
import { scimBaseUrl } from '../../shared/http/scim-base-url.js';
import { schemas } from '../../shared/scim/discovery.js';

/** GET /scim/v2/Schemas: the attributes Roster holds of a User and a Group. */
export const handler = operationHandler(operations.listSchemas, async ({ event }) => ({
  status: 200,
  body: schemas(scimBaseUrl(event)),
}));
