import { exportStore } from '../../shared/exports/export-store.js';
import { describeMemberExport } from '../../shared/exports/get-member-export.js';
import { memberExportPathParams } from '../../shared/exports/member-export.js';
import { httpHandler } from '../../shared/http/handler.js';

/** GET /v1/orgs/{orgId}/member-exports/{exportId}: status; once ready, a 15-minute download link. */
export const handler = httpHandler(
  { auth: { kind: 'orgMember', permission: 'members:manage' }, params: memberExportPathParams },
  async ({ params, db, audit }) => ({
    status: 200,
    body: await describeMemberExport({ db, store: exportStore() }, params.orgId, params.exportId, audit.now),
    // The link is a credential for the file: not for shared caches.
    headers: { 'cache-control': 'no-store' },
  }),
);
