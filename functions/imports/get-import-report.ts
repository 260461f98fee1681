import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/imports/operations.js';
import { importReport } from '../../shared/imports/import-actions.js';
import { getImportJob } from '../../shared/imports/import-repository.js';

/** GET /v1/orgs/{orgId}/imports/{importId}/report: every row's outcome as CSV, safe to open in a spreadsheet. */
export const handler = operationHandler(operations.getImportReport, async ({ params, deps }) => ({
  status: 200,
  text: await importReport(deps.db, await getImportJob(deps.db, params.orgId, params.importId)),
  contentType: 'text/csv; charset=utf-8',
  // no-store: the report names people; it must not linger in shared caches.
  headers: {
    'content-disposition': `attachment; filename="import-${params.importId}.csv"`,
    'cache-control': 'no-store',
  },
}));
