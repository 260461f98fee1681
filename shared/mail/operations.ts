import * as z from 'zod/mini';
import type { Operation } from '../operation.js';
import { orgPathParams } from '../schemas.js';

export const redriveResponse = z.object({ redriven: z.int(), dropped: z.int(), more: z.boolean() });

export const redriveMail = {
  method: 'POST',
  handler: 'mail/redrive-mail',
  path: '/v1/orgs/{orgId}/mail/redrive',
  summary: "Send the org's failed and stale mail again (org admin)",
  auth: { kind: 'orgMember', permission: 'org:manage' },
  params: orgPathParams,
  response: { status: 200, schema: redriveResponse },
  grants: { table: { access: 'readWrite', families: ['AUDIT', 'ORG', 'OUTBOX'] } },
} satisfies Operation;

/** The area's operations, in the order the OpenAPI document lists them. */
export const mailOperations = [redriveMail];
