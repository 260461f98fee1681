import { httpHandler } from '../../shared/http/handler.js';
import { importReport } from '../../shared/imports/import-actions.js';
import { getImportJob } from '../../shared/imports/import-repository.js';
import { importPathParams } from '../../shared/imports/schemas.js';

/** GET /v1/orgs/{orgId}/imports/{importId}/report: every row's outcome as CSV, safe to open in a spreadsheet. */
export const handler = httpHandler(
  { auth: { kind: 'orgMember', permission: 'members:manage' }, params: importPathParams },
  async ({ params, db }) => ({
    status: 200,
    text: await importReport(db, await getImportJob(db, params.orgId, params.importId)),
    contentType: 'text/csv; charset=utf-8',
    // no-store: the report names people; it must not linger in shared caches.
    headers: {
      'content-disposition': `attachment; filename="import-${params.importId}.csv"`,
      'cache-control': 'no-store',
    },
  }),
);
