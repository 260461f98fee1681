import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/members/export-operations.js';
import { exportStore } from '../../shared/exports/export-store.js';
import { describeMemberExport } from '../../shared/exports/get-member-export.js';

/** GET /v1/orgs/{orgId}/member-exports/{exportId}: status; once ready, a 15-minute download link. */
export const handler = operationHandler(
  operations.getMemberExport,
  { store: exportStore },
  async ({ params, audit, deps }) => ({
    status: 200,
    body: await describeMemberExport(deps, params.orgId, params.exportId, audit.now),
    // The link is a credential for the file: not for shared caches.
    headers: { 'cache-control': 'no-store' },
  }),
);
