import { schemas, scimBaseUrl } from '../../shared/scim/discovery.js';
import { scimHandler } from '../../shared/scim/scim-handler.js';

/** GET /scim/v2/Schemas: the attributes Roster holds of a User and a Group. */
export const handler = scimHandler({}, async ({ event }) => ({ status: 200, body: schemas(scimBaseUrl(event)) }));
