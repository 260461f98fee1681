import * as z from 'zod/mini';
import type { Operation } from '../operation.js';
import { orgPathParams } from '../schemas.js';
import { createImportQuery, importPathParams, importResponse } from './schemas.js';
import { LIMITS } from '../limits.js';

const base = '/v1/orgs/{orgId}/imports';
export const createImport = {
  method: 'POST',
  handler: 'imports/create-import',
  path: base,
  summary:
    'Upload a CSV (body, Content-Type text/csv; header email,name[,role][,team]; ≤ 5 MB, ≤ 10,000 rows) and validate it: 201 with the preview (counts, first rows, every row error by line and column). Nothing is imported until commit',
  auth: { kind: 'orgMember', permission: 'members:manage' },
  params: orgPathParams,
  query: createImportQuery,
  body: z.string().check(z.describe('The CSV file: header email,name[,role][,team], then one row per person')),
  bodyContentType: 'text/csv',
  response: { status: 201, schema: importResponse },
  limit: LIMITS.imports,
  grants: { table: { access: 'readWrite', families: ['AUDIT', 'EMAIL', 'IMPORT', 'ORG', 'OUTBOX', 'TOKEN', 'USER'] } },
} satisfies Operation;

export const getImport = {
  method: 'GET',
  handler: 'imports/get-import',
  path: `${base}/{importId}`,
  summary: 'Status and progress of an import (processed/total, created, skipped with reasons) and its preview',
  auth: { kind: 'orgMember', permission: 'members:manage' },
  params: importPathParams,
  response: { status: 200, schema: importResponse },
  grants: { table: { access: 'read', families: ['IMPORT', 'ORG'] } },
} satisfies Operation;

export const commitImport = {
  method: 'POST',
  handler: 'imports/commit-import',
  path: `${base}/{importId}/commit`,
  summary: 'Import the valid rows asynchronously (202); poll GET for progress',
  auth: { kind: 'orgMember', permission: 'members:manage' },
  params: importPathParams,
  response: { status: 202, schema: importResponse },
  limit: LIMITS.imports,
  grants: { table: { access: 'readWrite', families: ['AUDIT', 'EMAIL', 'IMPORT', 'ORG', 'OUTBOX', 'TOKEN', 'USER'] } },
} satisfies Operation;

export const cancelImport = {
  method: 'POST',
  handler: 'imports/cancel-import',
  path: `${base}/{importId}/cancel`,
  summary: 'Cancel an import: at once if not committed, else before its next batch',
  auth: { kind: 'orgMember', permission: 'members:manage' },
  params: importPathParams,
  response: { status: 200, schema: importResponse },
  limit: LIMITS.imports,
  grants: { table: { access: 'readWrite', families: ['AUDIT', 'EMAIL', 'IMPORT', 'ORG', 'OUTBOX', 'TOKEN', 'USER'] } },
} satisfies Operation;

export const getImportReport = {
  method: 'GET',
  handler: 'imports/get-import-report',
  path: `${base}/{importId}/report`,
  summary: 'The report as CSV (line,email,name,role,team,outcome,code,detail), formula-injection safe',
  auth: { kind: 'orgMember', permission: 'members:manage' },
  params: importPathParams,
  response: { status: 200, schema: z.string(), contentType: 'text/csv' },
  grants: { table: { access: 'read', families: ['AUDIT', 'EMAIL', 'IMPORT', 'ORG', 'OUTBOX', 'TOKEN', 'USER'] } },
} satisfies Operation;

/** The area's operations, in the order the OpenAPI document lists them. */
export const importOperations = [createImport, getImport, commitImport, cancelImport, getImportReport];
