import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/imports/operations.js';
import { cancelImport } from '../../shared/imports/import-actions.js';
import { importView } from '../../shared/imports/import-job.js';

/** POST /v1/orgs/{orgId}/imports/{importId}/cancel: cancel now, or before the worker's next batch. */
export const handler = operationHandler(operations.cancelImport, async ({ params, audit, deps }) => ({
  status: 200,
  body: importView(await cancelImport(deps.db, params.orgId, params.importId, audit)),
}));
