import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/api/operations.js';
import { openApiDocument } from '../../shared/api/openapi.js';

// Built on first request, not at module load: the document depends only on the code, and the
// cold start stays that of the bare handler.
let document: Record<string, unknown> | undefined;

/** GET /openapi.json: the OpenAPI 3.1 document, generated from the request schemas. */
export const handler = operationHandler(operations.getOpenapi, async () => ({
  status: 200,
  body: (document ??= openApiDocument()),
}));
