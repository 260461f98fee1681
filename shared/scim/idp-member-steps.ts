import { auditStep, diffFields, type AuditContext } from '../audit/audit-event.js';
import type { Database } from '../data/dynamo-client.js';
import type { TransactionStep } from '../data/transactions.js';
import type { Membership, MembershipStatus } from '../members/membership.js';
import { counterDelta, membershipWriteSteps, orgCountersStep } from '../members/membership-steps.js';

/** The audit action of each status an IdP moves a member to (the member API's names). */
const STATUS_ACTIONS: Record<MembershipStatus, string> = {
  active: 'member.reactivated',
  suspended: 'member.suspended',
  deprovisioned: 'member.deprovisioned',
};

/**
 * The status an IdP's `active` flag asks for: false deprovisions an active member, true
 * reactivates a deprovisioned one. An admin's suspension is Roster's own decision: the IdP
 * neither lifts nor relabels it.
 */
export function statusForIdp(current: MembershipStatus, active: boolean): MembershipStatus {
  if (!active && current === 'active') return 'deprovisioned';
  if (active && current === 'deprovisioned') return 'active';
  return current;
}

/**
 * The steps of an IdP's change to a membership (name and/or status), built from the member
 * use cases' own steps so that SCIM and webhooks put the member change, the SCIM attributes,
 * a replay marker and the audit events in ONE transaction: the membership conditioned on the
 * version read, the org's counters (seat on reactivation, last-admin protection on leaving
 * `active`), the session end when no other active membership remains, and one audit event
 * per kind of change; `scimDeleted` marks or clears the end of the member's SCIM resource
 * (DELETE /Users that keeps the membership, and a later POST of the person). Empty when
 * nothing changes.
 */
export function idpMemberChangeSteps(
  db: Database,
  current: Membership,
  next: Pick<Membership, 'name' | 'status'> & { scimDeleted?: boolean },
  sessionEnd: TransactionStep | undefined,
  audit: AuditContext,
): { membership: Membership; steps: TransactionStep[] } {
  const nameChanges = diffFields({ name: current.name }, { name: next.name });
  const renamed = Object.keys(nameChanges.after).length > 0;
  const statusChanged = next.status !== current.status;
  const wasDeleted = current.scimDeleted === true;
  const deletedChanged = next.scimDeleted !== undefined && next.scimDeleted !== wasDeleted;
  if (!renamed && !statusChanged && !deletedChanged) return { membership: current, steps: [] };
  const { scimDeleted: _dropped, ...rest } = current;
  const deleted = next.scimDeleted ?? wasDeleted;
  const updated: Membership = {
    ...rest,
    name: next.name,
    status: next.status,
    updatedAt: audit.now.toISOString(),
    ...(deleted ? { scimDeleted: true as const } : {}),
  };
  const target = { type: 'member', id: current.userId };
  const steps = [
    ...membershipWriteSteps(db, updated, current.version),
    orgCountersStep(db, current.orgId, counterDelta(current, updated)),
    statusChanged && current.status === 'active' ? sessionEnd : undefined,
    renamed
      ? auditStep(db, { orgId: current.orgId, action: 'member.updated', target, ...nameChanges }, audit)
      : undefined,
    statusChanged
      ? auditStep(
          db,
          {
            orgId: current.orgId,
            action: STATUS_ACTIONS[next.status],
            target,
            before: { status: current.status },
            after: { status: next.status },
          },
          audit,
        )
      : undefined,
    // The SCIM resource's end and return are changes of their own in the member's history.
    deletedChanged
      ? auditStep(
          db,
          {
            orgId: current.orgId,
            action: deleted ? 'member.scim_deleted' : 'member.scim_provisioned',
            target,
            before: { scimDeleted: wasDeleted },
            after: { scimDeleted: deleted },
          },
          audit,
        )
      : undefined,
  ].filter((s): s is TransactionStep => s !== undefined);
  return { membership: { ...updated, version: current.version + 1 }, steps };
}
