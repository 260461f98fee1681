import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/imports/operations.js';
import { importView } from '../../shared/imports/import-job.js';
import { getImportJob } from '../../shared/imports/import-repository.js';

/** GET /v1/orgs/{orgId}/imports/{importId}: status, progress, skipped rows by reason, preview. */
export const handler = operationHandler(operations.getImport, async ({ params, deps }) => ({
  status: 200,
  body: importView(await getImportJob(deps.db, params.orgId, params.importId)),
  headers: { 'cache-control': 'no-store' },
}));
