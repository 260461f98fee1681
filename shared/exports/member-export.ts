import * as z from 'zod/mini';
import { resourceId } from '../schemas.js';
import { EXPORT_OBJECT_PREFIX, MEMBER_EXPORT_ENTITY } from './export-env.js';

export { MEMBER_EXPORT_ENTITY };

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

export const isMemberExportItem = (item: Record<string, unknown> | undefined): boolean =>
  item?.entity === MEMBER_EXPORT_ENTITY;
