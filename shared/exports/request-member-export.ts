import { auditStep, type AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import { transactWrite } from '../data/transactions.js';
import { newId } from '../ids.js';
import type { MemberExport } from './member-export.js';
import { memberExportCreateStep } from './member-export-repository.js';

/**
 * Records an export job (status queued). Its INSERT on the table stream starts the writer, so
 * the request returns at once whatever the org's size. The audit event is in the same
 * transaction: a bulk download of the member list is worth a trace.
 */
export async function requestMemberExport(db: Database, orgId: string, audit: AuditContext): Promise<MemberExport> {
  const job: MemberExport = {
    orgId,
    exportId: newId(),
    status: 'queued',
    requestedBy: audit.actor.id,
    createdAt: audit.now.toISOString(),
    completedAt: null,
    rowCount: null,
    sizeBytes: null,
    failureReason: null,
  };
  await transactWrite(db, [
    memberExportCreateStep(db, job),
    auditStep(db, { orgId, action: 'member_export.requested', target: { type: 'export', id: job.exportId } }, audit),
  ]);
  return job;
}
