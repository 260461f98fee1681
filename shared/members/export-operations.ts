import * as z from 'zod/mini';
import type { OperationDoc } from '../http/operation-doc.js';
import { orgPathParams } from '../schemas.js';
import { exportMembersQuery } from './export-members.js';

export const memberExportOperations: OperationDoc[] = [
  {
    method: 'get',
    path: '/v1/orgs/{orgId}/members/export',
    summary: 'Members as CSV (name,email,team,role,status,lastLoginAt,createdAt); 413 export_too_large past 5 MiB',
    auth: 'bearer',
    params: orgPathParams,
    query: exportMembersQuery,
    response: { status: 200, schema: z.string(), contentType: 'text/csv' },
  },
];
