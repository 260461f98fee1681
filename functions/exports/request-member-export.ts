import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/members/export-operations.js';
import { requestMemberExport } from '../../shared/exports/request-member-export.js';

/** POST /v1/orgs/{orgId}/member-exports: queue a CSV export of every member; 202, then poll its status. */
export const handler = operationHandler(operations.requestMemberExport, async ({ params, audit, deps }) => {
  const job = await requestMemberExport(deps.db, params.orgId, audit);
  return {
    status: 202,
    body: { exportId: job.exportId, status: job.status, createdAt: job.createdAt },
    headers: { location: `/v1/orgs/${params.orgId}/member-exports/${job.exportId}` },
  };
});
