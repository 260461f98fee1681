import { Readable } from 'node:stream';
import { writeStep } from '../data/conditional-write.js';
import type { Database } from '../data/dynamo-client.js';
import { update } from '../data/transactions.js';
import { memberExportKey, memberListIndex, memberListPartition, memberSortPrefix } from '../data/keys.js';
import { membershipFromItem } from '../members/membership-repository.js';
import { queryPage } from '../data/pagination.js';
import { EXPORT_HEADER_ROW, memberCsvRow } from '../members/export-members.js';
import { teamNamesById } from '../teams/team-repository.js';
import { EXPORT_CONTENT_TYPE, exportObjectKey } from './member-export.js';
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
    const page = await queryPage(db, {
      index: memberListIndex.sort.name,
      partition: memberListPartition.all(orgId),
      sortKey: { beginsWith: memberSortPrefix.name },
      forward: true,
      limit: WRITER_PAGE,
      cursor,
    });
    if (page.items.length > 0) {
      const chunk = Buffer.from(
        page.items.map((item) => memberCsvRow(membershipFromItem(item), teamNames)).join(''),
        'utf8',
      );
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
  deps: { db: Database; store: ObjectStore; now?: () => Date; onError?: (error: unknown) => void },
  job: { orgId: string; exportId: string },
): Promise<WriteOutcome> {
  const { db, store } = deps;
  const now = deps.now ?? (() => new Date());
  // Running too: a writer that died mid-way (timeout) left it so; its retry starts over.
  if (!(await setStatus(db, job, 'running', ['queued', 'running'], {}))) return 'skipped';
  const totals: ExportTotals = { rowCount: 0, sizeBytes: 0 };
  try {
    await store.write(
      exportObjectKey(job.orgId, job.exportId),
      Readable.from(memberCsvChunks(db, job.orgId, totals)),
      EXPORT_CONTENT_TYPE,
    );
  } catch (error) {
    deps.onError?.(error);
    await setStatus(db, job, 'failed', ['running'], {
      completedAt: now().toISOString(),
      failureReason: 'The export could not be written; request a new one',
    });
    return 'failed';
  }
  await setStatus(db, job, 'ready', ['running'], {
    completedAt: now().toISOString(),
    rowCount: totals.rowCount,
    sizeBytes: totals.sizeBytes,
  });
  return 'ready';
}

/** Moves the job to `status` if it is in one of `from`; false when it was not (or is gone). */
async function setStatus(
  db: Database,
  job: { orgId: string; exportId: string },
  status: string,
  from: readonly string[],
  fields: Record<string, string | number>,
): Promise<boolean> {
  const names: Record<string, string> = { '#status': 'status' };
  const values: Record<string, unknown> = { ':status': status };
  const sets = ['#status = :status'];
  for (const [name, value] of Object.entries(fields)) {
    names[`#${name}`] = name;
    values[`:${name}`] = value;
    sets.push(`#${name} = :${name}`);
  }
  from.forEach((s, i) => (values[`:from${i}`] = s));
  return writeStep(
    db,
    update(db, {
      key: memberExportKey(job.orgId, job.exportId),
      updateExpression: `SET ${sets.join(', ')}`,
      condition: `#status IN (${from.map((_, i) => `:from${i}`).join(', ')})`,
      names,
      values,
    }),
  );
}
