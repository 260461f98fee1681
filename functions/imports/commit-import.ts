import { httpHandler } from '../../shared/http/handler.js';
import { commitImport, importOrigin } from '../../shared/imports/import-actions.js';
import { importView } from '../../shared/imports/import-job.js';
import { importPathParams } from '../../shared/imports/schemas.js';

/** POST /v1/orgs/{orgId}/imports/{importId}/commit: queue the valid rows for the worker; 202. */
export const handler = httpHandler(
  { auth: { kind: 'orgMember', permission: 'members:manage' }, params: importPathParams },
  async ({ params, caller, audit, db }) => {
    const job = await commitImport(db, params.orgId, params.importId, importOrigin(audit, caller), audit.now);
    return {
      status: 202,
      body: importView(job),
      headers: { location: `/v1/orgs/${params.orgId}/imports/${job.importId}` },
    };
  },
);
