import type { Database } from '../data/dynamo-client.js';
import {
  DOWNLOAD_LINK_SECONDS,
  EXPORT_CONTENT_TYPE,
  exportFilename,
  exportObjectKey,
  type MemberExport,
} from './member-export.js';
import { getMemberExport } from './member-export-repository.js';
import type { DownloadLink, ObjectStore } from './object-store.js';

export interface MemberExportView {
  exportId: string;
  status: MemberExport['status'];
  createdAt: string;
  completedAt: string | null;
  rowCount: number | null;
  sizeBytes: number | null;
  failureReason: string | null;
  /** Present once ready: a pre-signed GET link to the file and its expiry. */
  download: DownloadLink | null;
}

export function memberExportView(e: MemberExport, download: DownloadLink | null): MemberExportView {
  return {
    exportId: e.exportId,
    status: e.status,
    createdAt: e.createdAt,
    completedAt: e.completedAt,
    rowCount: e.rowCount,
    sizeBytes: e.sizeBytes,
    failureReason: e.failureReason,
    download,
  };
}

/**
 * An export's status; once ready, with a fresh download link (signed here, no round trip: a
 * pre-signed URL is computed, not fetched). Each poll signs a new link, so an expired one is
 * replaced by asking again.
 */
export async function describeMemberExport(
  deps: { db: Database; store: ObjectStore },
  orgId: string,
  exportId: string,
  now: Date,
): Promise<MemberExportView> {
  const job = await getMemberExport(deps.db, orgId, exportId, now);
  if (job.status !== 'ready') return memberExportView(job, null);
  const link = await deps.store.downloadLink(exportObjectKey(orgId, exportId), {
    filename: exportFilename(job),
    contentType: EXPORT_CONTENT_TYPE,
    expiresInSeconds: DOWNLOAD_LINK_SECONDS,
    now,
  });
  return memberExportView(job, link);
}
