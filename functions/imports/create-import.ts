import { operationHandler } from '../../shared/http/handler.js';
import { importView } from '../../shared/imports/import-job.js';
import * as operations from '../../shared/imports/operations.js';
import { uploadedCsv } from '../../shared/http/csv-body.js';
import { createImport } from '../../shared/imports/create-import.js';
import { importOrigin } from '../../shared/imports/import-actions.js';

/** POST /v1/orgs/{orgId}/imports?mode=invite|add[&createTeams=true]: upload and validate a CSV; 201 with the preview and every row error. */
export const handler = operationHandler(
  operations.createImport,
  async ({ params, query, caller, audit, event, deps }) => {
    const file = uploadedCsv(event);
    const { job, errors } = await createImport(
      deps.db,
      caller.org,
      importOrigin(audit, caller),
      { mode: query.mode, createTeams: query.createTeams === 'true', file },
      audit.now,
      caller.membership,
    );
    return {
      status: 201,
      body: { ...importView(job), errors },
      headers: { location: `/v1/orgs/${params.orgId}/imports/${job.importId}` },
    };
  },
);
