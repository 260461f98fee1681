import { httpHandler } from '../../shared/http/handler.js';
import { importView } from '../../shared/imports/import-job.js';
import { getImportJob } from '../../shared/imports/import-repository.js';
import { importPathParams } from '../../shared/imports/schemas.js';

/** GET /v1/orgs/{orgId}/imports/{importId}: status, progress, skipped rows by reason, preview. */
export const handler = httpHandler(
  { auth: { kind: 'orgMember', permission: 'members:manage' }, params: importPathParams },
  async ({ params, db }) => ({
    status: 200,
    body: importView(await getImportJob(db, params.orgId, params.importId)),
    headers: { 'cache-control': 'no-store' },
  }),
);
