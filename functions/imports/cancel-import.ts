import { httpHandler } from '../../shared/http/handler.js';
import { cancelImport } from '../../shared/imports/import-actions.js';
import { importView } from '../../shared/imports/import-job.js';
import { importPathParams } from '../../shared/imports/schemas.js';

/** POST /v1/orgs/{orgId}/imports/{importId}/cancel: cancel now, or before the worker's next batch. */
export const handler = httpHandler(
  { auth: { kind: 'orgMember', permission: 'members:manage' }, params: importPathParams },
  async ({ params, audit, db }) => ({
    status: 200,
    body: importView(await cancelImport(db, params.orgId, params.importId, audit)),
  }),
);
