import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/members/export-operations.js';
import { exportMembers } from '../../shared/members/export-members.js';

/** GET /v1/orgs/{orgId}/members/export: the member list as CSV, safe to open in a spreadsheet. */
export const handler = operationHandler(operations.exportMembers, async ({ params, caller, deps }) => ({
  status: 200,
  text: await exportMembers(deps.db, caller.org),
  contentType: 'text/csv; charset=utf-8',
  // no-store: member data must not linger in shared caches.
  headers: {
    'content-disposition': `attachment; filename="members-${params.orgId}.csv"`,
    'cache-control': 'no-store',
  },
}));
