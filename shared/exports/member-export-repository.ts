import type { Database } from '../data/dynamo-client.js';
import { writeStep } from '../data/conditional-write.js';
import { getItem } from '../data/get-item.js';
import { memberExportKey } from '../data/keys.js';
import { TTL_ATTRIBUTE } from '../data/table-definition.js';
import { put, update, type TransactionStep } from '../data/transactions.js';
import { NotFoundError } from '../errors.js';
import {
  EXPORT_RETENTION_SECONDS,
  MEMBER_EXPORT_ENTITY,
  type ExportStatus,
  type MemberExport,
} from './member-export.js';

export function memberExportToItem(e: MemberExport): Record<string, unknown> {
  return {
    ...memberExportKey(e.orgId, e.exportId),
    entity: MEMBER_EXPORT_ENTITY,
    ...e,
    [TTL_ATTRIBUTE]: Math.floor(Date.parse(e.createdAt) / 1000) + EXPORT_RETENTION_SECONDS,
  };
}

export function memberExportFromItem(item: Record<string, unknown>): MemberExport {
  const number = (value: unknown) => (value === undefined || value === null ? null : Number(value));
  return {
    orgId: item.orgId as string,
    exportId: item.exportId as string,
    status: item.status as ExportStatus,
    requestedBy: item.requestedBy as string,
    createdAt: item.createdAt as string,
    completedAt: (item.completedAt as string | null | undefined) ?? null,
    rowCount: number(item.rowCount),
    sizeBytes: number(item.sizeBytes),
    failureReason: (item.failureReason as string | null | undefined) ?? null,
  };
}

export const exportNotFound = () => new NotFoundError('No such export in this organization', 'export_not_found');

/** A new export job, as a step of the request's transaction. */
export function memberExportCreateStep(db: Database, job: MemberExport): TransactionStep {
  return put(db, memberExportToItem(job), 'attribute_not_exists(PK)');
}

/** One export of one org (strongly consistent: a poll right after the write sees it). */
export async function getMemberExport(db: Database, orgId: string, exportId: string, now: Date): Promise<MemberExport> {
  const item = await getItem(db, memberExportKey(orgId, exportId));
  // TTL deletes some time after expiry; an expired item reads as gone.
  if (!item || Number(item[TTL_ATTRIBUTE]) * 1000 < now.getTime()) throw exportNotFound();
  return memberExportFromItem(item);
}

/** Moves the job to `status` (with `fields`) if it is in one of `from`; false when it was not (or is gone). */
export function moveMemberExportStatus(
  db: Database,
  job: { orgId: string; exportId: string },
  status: ExportStatus,
  from: readonly ExportStatus[],
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
