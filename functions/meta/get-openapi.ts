import { httpHandler } from '../../shared/http/handler.js';
import { openApiDocument } from '../../shared/http/openapi.js';

// Built once per cold start: the document depends only on the code.
const document = openApiDocument();

/** GET /openapi.json: the OpenAPI 3.1 document, generated from the request schemas. */
export const handler = httpHandler({ auth: { kind: 'public' } }, async () => ({ status: 200, body: document }));
