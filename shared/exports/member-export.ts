import { GetCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import type { Database } from '../data/dynamo-client.js';
import { memberExportKey } from '../data/keys.js';
import { TTL_ATTRIBUTE } from '../data/table-definition.js';
import { NotFoundError } from '../errors.js';
import { resourceId } from '../schemas.js';
import { EXPORT_OBJECT_PREFIX } from './export-env.js';

export const MEMBER_EXPORT_ENTITY = 'memberExport';

export const EXPORT_STATUSES = ['queued', 'running', 'ready', 'failed'] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

/** An export job and its file; the item lives as long as the file (the bucket's lifecycle rule). */
export const EXPORT_RETENTION_SECONDS = 24 * 60 * 60;
/** How long a download link works. */
export const DOWNLOAD_LINK_SECONDS = 15 * 60;
export const EXPORT_CONTENT_TYPE = 'text/csv; charset=utf-8';

export interface MemberExport {
  orgId: string;
  exportId: string;
  status: ExportStatus;
  /** userId of the admin who asked for it. */
  requestedBy: string;
  createdAt: string;
  completedAt: string | null;
  rowCount: number | null;
  sizeBytes: number | null;
  /** Why it failed, in words safe to show the admin. */
  failureReason: string | null;
}

/** Where the file is stored: under one prefix, which is all the writer may put to. */
export const exportObjectKey = (orgId: string, exportId: string): string =>
  `${EXPORT_OBJECT_PREFIX}${orgId}/${exportId}.csv`;
export const exportFilename = (e: Pick<MemberExport, 'orgId' | 'createdAt'>): string =>
  `members-${e.orgId}-${e.createdAt.slice(0, 10)}.csv`;

export const memberExportPathParams = z.object({ orgId: resourceId, exportId: resourceId });

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

export const isMemberExportItem = (item: Record<string, unknown> | undefined): boolean =>
  item?.entity === MEMBER_EXPORT_ENTITY;

export const exportNotFound = () => new NotFoundError('No such export in this organization', 'export_not_found');

/** One export of one org (strongly consistent: a poll right after the write sees it). */
export async function getMemberExport(db: Database, orgId: string, exportId: string): Promise<MemberExport> {
  const { Item } = await db.client.send(
    new GetCommand({ TableName: db.tableName, Key: memberExportKey(orgId, exportId), ConsistentRead: true }),
  );
  // TTL deletes some time after expiry; an expired item reads as gone.
  if (!Item || Number(Item[TTL_ATTRIBUTE]) * 1000 < Date.now()) throw exportNotFound();
  return memberExportFromItem(Item);
}
