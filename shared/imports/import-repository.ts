import type { RoleHolderDelta } from '../members/membership-steps.js';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Database } from '../data/dynamo-client.js';
import { importBatchKey, importChunkKey, importJobKey, importPartition } from '../data/keys.js';
import { queryWholePartition } from '../data/pagination.js';
import { NotFoundError } from '../errors.js';
import { IMPORT_JOB_ENTITY, type ImportJob, type ImportRow, type RejectedRow, type RowCode } from './import-job.js';

export const IMPORT_CHUNK_ENTITY = 'importChunk';
export const IMPORT_BATCH_ENTITY = 'importBatch';

/** Lines [firstLine-order] of one chunk: rows to import and rows refused, both in line order. */
export interface ImportChunk {
  chunk: number;
  rows: ImportRow[];
  rejected: RejectedRow[];
}

/** A row the worker did not import, and why. */
export interface SkippedRow {
  line: number;
  code: RowCode;
  message: string;
}

/** A batch's seat grant (written with the reservation) and, once settled, its outcomes. */
export interface BatchMarker {
  chunk: number;
  granted: number;
  /** Lines that hold one of the granted seats; the other rows were skipped before any write. */
  eligible: number[];
  /** Rows skipped when the seats were reserved (already a member or invited by now, no seat left). */
  preSkipped: SkippedRow[];
  /**
   * When the seats were reserved: the batch's clock. Its rows' audit events carry it, so a
   * replay writes them with the same key and finds the ones already there.
   */
  reservedAt: string;
  /**
   * `add` mode: holders of each custom role the granted rows give, reserved with the seats (so
   * the role can be neither deleted nor move org:manage until the batch settles), with whether
   * the role held org:manage then: its rows' memberships are marked as that says.
   */
  roles?: Record<string, RoleHolderDelta>;
  settled: boolean;
  created: number[];
  skipped: SkippedRow[];
}

export function jobToItem(job: ImportJob): Record<string, unknown> {
  return { ...importJobKey(job.orgId, job.importId), entity: IMPORT_JOB_ENTITY, ...job };
}

export function jobFromItem(item: Record<string, unknown>): ImportJob {
  const { PK: _pk, SK: _sk, entity: _entity, ...job } = item;
  return job as unknown as ImportJob;
}

/** The import, strongly consistent; NotFound when it is not this org's (or expired). */
export async function getImportJob(db: Database, orgId: string, importId: string): Promise<ImportJob> {
  const { Item } = await db.client.send(
    new GetCommand({ TableName: db.tableName, Key: importJobKey(orgId, importId), ConsistentRead: true }),
  );
  // TTL deletion lags by up to days: an import past its expiry is gone as far as anyone can tell.
  if (!Item || Item.entity !== IMPORT_JOB_ENTITY || Number(Item.ttl) * 1000 <= Date.now())
    throw new NotFoundError('No such import');
  return jobFromItem(Item);
}

export function chunkToItem(importId: string, chunk: ImportChunk, ttl: number): Record<string, unknown> {
  return { ...importChunkKey(importId, chunk.chunk), entity: IMPORT_CHUNK_ENTITY, importId, ...chunk, ttl };
}

export async function getChunk(db: Database, importId: string, chunk: number): Promise<ImportChunk> {
  const { Item } = await db.client.send(
    new GetCommand({ TableName: db.tableName, Key: importChunkKey(importId, chunk), ConsistentRead: true }),
  );
  if (!Item) throw new Error(`Import ${importId} has no chunk ${chunk}`);
  return { chunk: Number(Item.chunk), rows: Item.rows as ImportRow[], rejected: Item.rejected as RejectedRow[] };
}

export async function getBatchMarker(db: Database, importId: string, chunk: number): Promise<BatchMarker | undefined> {
  const { Item } = await db.client.send(
    new GetCommand({ TableName: db.tableName, Key: importBatchKey(importId, chunk), ConsistentRead: true }),
  );
  return Item ? batchFromItem(Item) : undefined;
}

export function batchFromItem(item: Record<string, unknown>): BatchMarker {
  return {
    chunk: Number(item.chunk),
    granted: Number(item.granted),
    eligible: (item.eligible as number[] | undefined) ?? [],
    preSkipped: (item.preSkipped as SkippedRow[] | undefined) ?? [],
    reservedAt: item.reservedAt as string,
    roles: (item.roles as Record<string, RoleHolderDelta> | undefined) ?? {},
    settled: item.settled === true,
    created: (item.created as number[] | undefined) ?? [],
    skipped: (item.skipped as SkippedRow[] | undefined) ?? [],
  };
}

/** Every item of the import's partition whose sort key starts with `prefix`, in key order (the report). */
export function queryImportItems(
  db: Database,
  importId: string,
  prefix: 'CHUNK#' | 'BATCH#',
): Promise<Record<string, unknown>[]> {
  return queryWholePartition(db, importPartition(importId), prefix);
}
