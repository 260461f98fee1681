import { operationHandler } from '../../shared/http/handler.js';
import * as operations from '../../shared/imports/operations.js';
import { commitImport, importOrigin } from '../../shared/imports/import-actions.js';
import { importView } from '../../shared/imports/import-job.js';

/** POST /v1/orgs/{orgId}/imports/{importId}/commit: queue the valid rows for the worker; 202. */
export const handler = operationHandler(operations.commitImport, async ({ params, caller, audit, deps }) => {
  const job = await commitImport(
    deps.db,
    caller.org,
    params.importId,
    importOrigin(audit, caller),
    audit.now,
    caller.membership,
  );
  return {
    status: 202,
    body: importView(job),
    headers: { location: `/v1/orgs/${params.orgId}/imports/${job.importId}` },
  };
});
