import { Readable } from 'node:stream';
import { systemClock, type Clock } from '../clock.js';
import type { Database } from '../data/dynamo-client.js';
import { queryMembersByName } from '../members/membership-repository.js';
import { EXPORT_HEADER_ROW, memberCsvRow } from '../members/export-members.js';
import { teamNamesById } from '../teams/team-repository.js';
import { EXPORT_CONTENT_TYPE, exportObjectKey } from './member-export.js';
import { moveMemberExportStatus } from './member-export-repository.js';
import type { ObjectStore } from './object-store.js';

/** Members read per Query: one page is all the writer holds besides the upload's part buffer. */
const WRITER_PAGE = 500;

export interface ExportTotals {
  rowCount: number;
  sizeBytes: number;
}

/**
 * The org's members as CSV, one chunk per page of the by-name index (the same Query and the
 * same rows as the direct download). A generator: the next page is read only when the
 * consumer (the upload) asks for more, so memory stays bounded whatever the org's size.
 */
export async function* memberCsvChunks(db: Database, orgId: string, totals: ExportTotals): AsyncGenerator<Buffer> {
  const teamNames = await teamNamesById(db, orgId);
  const header = Buffer.from(EXPORT_HEADER_ROW, 'utf8');
  totals.sizeBytes += header.length;
  yield header;
  let cursor: string | undefined;
  do {
    const page = await queryMembersByName(db, orgId, WRITER_PAGE, cursor);
    if (page.items.length > 0) {
      const chunk = Buffer.from(page.items.map((m) => memberCsvRow(m, teamNames)).join(''), 'utf8');
      totals.rowCount += page.items.length;
      totals.sizeBytes += chunk.length;
      yield chunk;
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

export type WriteOutcome = 'ready' | 'failed' | 'skipped';

/**
 * Runs one export job: claims it (queued → running; a job already finished is skipped, so a
 * replayed stream record does nothing), streams the CSV into the object store, then records
 * `ready` with the row count and size. A failure is recorded as `failed` with a reason the
 * admin may read (the cause goes to the log) and is not retried: asking again is one POST.
 */
export async function writeMemberExport(
  deps: { db: Database; store: ObjectStore; clock?: Clock; onError?: (error: unknown) => void },
  job: { orgId: string; exportId: string },
): Promise<WriteOutcome> {
  const { db, store } = deps;
  const now = deps.clock ?? systemClock;
  // Running too: a writer that died mid-way (timeout) left it so; its retry starts over.
  if (!(await moveMemberExportStatus(db, job, 'running', ['queued', 'running'], {}))) return 'skipped';
  const totals: ExportTotals = { rowCount: 0, sizeBytes: 0 };
  try {
    await store.write(
      exportObjectKey(job.orgId, job.exportId),
      Readable.from(memberCsvChunks(db, job.orgId, totals)),
      EXPORT_CONTENT_TYPE,
    );
  } catch (error) {
    deps.onError?.(error);
    await moveMemberExportStatus(db, job, 'failed', ['running'], {
      completedAt: now().toISOString(),
      failureReason: 'The export could not be written; request a new one',
    });
    return 'failed';
  }
  await moveMemberExportStatus(db, job, 'ready', ['running'], {
    completedAt: now().toISOString(),
    rowCount: totals.rowCount,
    sizeBytes: totals.sizeBytes,
  });
  return 'ready';
}
