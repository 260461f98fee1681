import * as z from 'zod/mini';
import type { OperationDoc } from '../http/operation-doc.js';
import { orgPathParams } from '../schemas.js';

export const redriveResponse = z.object({ redriven: z.int(), dropped: z.int(), more: z.boolean() });

export const mailOperations: OperationDoc[] = [
  {
    method: 'post',
    path: '/v1/orgs/{orgId}/mail/redrive',
    summary: "Send the org's failed and stale mail again (org admin)",
    auth: 'bearer',
    params: orgPathParams,
    response: { status: 200, schema: redriveResponse },
  },
];
