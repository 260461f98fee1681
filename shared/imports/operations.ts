import * as z from 'zod/mini';
import type { OperationDoc } from '../http/operation-doc.js';
import { orgPathParams } from '../schemas.js';
import { createImportQuery, importPathParams, importResponse } from './schemas.js';

const base = '/v1/orgs/{orgId}/imports';
export const importOperations: OperationDoc[] = [
  {
    method: 'post',
    path: base,
    summary:
      'Upload a CSV (body, Content-Type text/csv; header email,name[,role][,team]; ≤ 5 MB, ≤ 10,000 rows) and validate it: 201 with the preview (counts, first rows, every row error by line and column). Nothing is imported until commit',
    auth: 'bearer',
    params: orgPathParams,
    query: createImportQuery,
    body: z.string().check(z.describe('The CSV file: header email,name[,role][,team], then one row per person')),
    bodyContentType: 'text/csv',
    response: { status: 201, schema: importResponse },
  },
  {
    method: 'get',
    path: `${base}/{importId}`,
    summary: 'Status and progress of an import (processed/total, created, skipped with reasons) and its preview',
    auth: 'bearer',
    params: importPathParams,
    response: { status: 200, schema: importResponse },
  },
  {
    method: 'post',
    path: `${base}/{importId}/commit`,
    summary: 'Import the valid rows asynchronously (202); poll GET for progress',
    auth: 'bearer',
    params: importPathParams,
    response: { status: 202, schema: importResponse },
  },
  {
    method: 'post',
    path: `${base}/{importId}/cancel`,
    summary: 'Cancel an import: at once if not committed, else before its next batch',
    auth: 'bearer',
    params: importPathParams,
    response: { status: 200, schema: importResponse },
  },
  {
    method: 'get',
    path: `${base}/{importId}/report`,
    summary: 'The report as CSV (line,email,name,role,team,outcome,code,detail), formula-injection safe',
    auth: 'bearer',
    params: importPathParams,
    response: { status: 200, schema: z.string(), contentType: 'text/csv' },
  },
];
