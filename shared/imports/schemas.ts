import * as z from 'zod/mini';
import { BUILT_IN_ROLE_KEYS } from '../roles.js';
import { resourceId } from '../schemas.js';
import { IMPORT_MODES, IMPORT_STATUSES } from './import-job.js';

export const importPathParams = z.object({ orgId: resourceId, importId: resourceId });

/** The upload's options; the CSV itself is the request body (Content-Type: text/csv). */
export const createImportQuery = z.strictObject({
  mode: z.enum(IMPORT_MODES),
  createTeams: z.optional(z.enum(['true', 'false'])),
});
export type CreateImportQuery = z.infer<typeof createImportQuery>;

const rowProblem = z.object({
  line: z.int(),
  column: z.nullable(z.enum(['email', 'name', 'role', 'team'])),
  code: z.string(),
  message: z.string(),
});
const previewRow = z.object({
  line: z.int(),
  email: z.string(),
  name: z.string(),
  role: z.enum(BUILT_IN_ROLE_KEYS),
  team: z.nullable(z.string()),
});

export const importResponse = z.object({
  importId: z.string(),
  status: z.enum(IMPORT_STATUSES),
  mode: z.enum(IMPORT_MODES),
  createTeams: z.boolean(),
  newTeams: z.array(z.string()),
  counts: z.object({ rows: z.int(), toImport: z.int(), rejected: z.int() }),
  processed: z.int(),
  total: z.int(),
  created: z.int(),
  skipped: z.int(),
  skippedByReason: z.record(z.string(), z.int()),
  cancelRequested: z.boolean(),
  preview: z.array(previewRow),
  /** On GET the first 100; the upload's answer lists every problem. */
  errors: z.array(rowProblem),
  createdAt: z.string(),
  committedAt: z.nullable(z.string()),
  finishedAt: z.nullable(z.string()),
  report: z.string(),
});
