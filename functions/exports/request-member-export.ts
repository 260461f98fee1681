import { requestMemberExport } from '../../shared/exports/request-member-export.js';
import { httpHandler } from '../../shared/http/handler.js';
import { orgPathParams } from '../../shared/schemas.js';

/** POST /v1/orgs/{orgId}/member-exports: queue a CSV export of every member; 202, then poll its status. */
export const handler = httpHandler(
  { auth: { kind: 'orgMember', permission: 'members:manage' }, params: orgPathParams },
  async ({ params, db, audit }) => {
    const job = await requestMemberExport(db, params.orgId, audit);
    return {
      status: 202,
      body: { exportId: job.exportId, status: job.status, createdAt: job.createdAt },
      headers: { location: `/v1/orgs/${params.orgId}/member-exports/${job.exportId}` },
    };
  },
);
