import { httpHandler } from '../../shared/http/handler.js';
import { exportMembers, exportMembersQuery } from '../../shared/members/export-members.js';
import { orgPathParams } from '../../shared/schemas.js';

/** GET /v1/orgs/{orgId}/members/export: the member list as CSV, safe to open in a spreadsheet. */
export const handler = httpHandler(
  { auth: { kind: 'orgMember', permission: 'members:manage' }, params: orgPathParams, query: exportMembersQuery },
  async ({ params, caller, db }) => ({
    status: 200,
    text: await exportMembers(db, caller.org),
    contentType: 'text/csv; charset=utf-8',
    // no-store: member data must not linger in shared caches.
    headers: {
      'content-disposition': `attachment; filename="members-${params.orgId}.csv"`,
      'cache-control': 'no-store',
    },
  }),
);
