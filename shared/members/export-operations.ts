import * as z from 'zod/mini';
import { EXPORT_STATUSES, memberExportPathParams } from '../exports/member-export.js';
import type { Operation } from '../operation.js';
import { orgPathParams } from '../schemas.js';
import { exportMembersQuery, SYNC_EXPORT_MAX_MEMBERS } from './export-members.js';
import { LIMITS } from '../limits.js';

const exportStatus = z.enum(EXPORT_STATUSES);

const exportQueued = z.object({ exportId: z.string(), status: exportStatus, createdAt: z.string() });

const exportStatusView = z.object({
  exportId: z.string(),
  status: exportStatus,
  createdAt: z.string(),
  completedAt: z.nullable(z.string()),
  rowCount: z.nullable(z.number()),
  sizeBytes: z.nullable(z.number()),
  failureReason: z.nullable(z.string()),
  /** A pre-signed GET link (15 minutes, content-disposition attachment); null until ready. */
  download: z.nullable(z.object({ url: z.string(), expiresAt: z.string() })),
});

export const exportMembers = {
  method: 'GET',
  handler: 'members/export-members',
  path: '/v1/orgs/{orgId}/members/export',
  summary: `Members as CSV (name,email,team,role,status,lastLoginAt,createdAt) in the response, for orgs up to ${SYNC_EXPORT_MAX_MEMBERS} members and 5 MiB; larger ones get 413 export_too_large naming POST /v1/orgs/{orgId}/member-exports`,
  auth: { kind: 'orgMember', permission: 'members:read' },
  params: orgPathParams,
  query: exportMembersQuery,
  response: { status: 200, schema: z.string(), contentType: 'text/csv' },
  limit: LIMITS.exports,
  grants: { table: { access: 'read', families: ['ORG', 'USER'] } },
} satisfies Operation;

export const requestMemberExport = {
  method: 'POST',
  handler: 'exports/request-member-export',
  path: '/v1/orgs/{orgId}/member-exports',
  summary:
    'Queue a CSV export of every member, any org size; 202 with the export id, then poll GET …/member-exports/{exportId}',
  auth: { kind: 'orgMember', permission: 'members:read' },
  params: orgPathParams,
  response: { status: 202, schema: exportQueued },
  limit: LIMITS.exports,
  grants: { table: { access: 'readWrite', families: ['AUDIT', 'ORG', 'USER'] } },
} satisfies Operation;

export const getMemberExport = {
  method: 'GET',
  handler: 'exports/get-member-export',
  path: '/v1/orgs/{orgId}/member-exports/{exportId}',
  summary:
    'Export status (queued, running, ready, failed) with row count and size; once ready, a download link valid 15 minutes',
  auth: { kind: 'orgMember', permission: 'members:read' },
  params: memberExportPathParams,
  response: { status: 200, schema: exportStatusView },
  grants: { table: { access: 'read', families: ['ORG', 'USER'] }, objectStore: 'presignExports' },
} satisfies Operation;

/** The area's operations, in the order the OpenAPI document lists them. */
export const memberExportOperations = [exportMembers, requestMemberExport, getMemberExport];
