import type { AuditContext } from '../audit/audit-event.js';
import { NotFoundError } from '../errors.js';
import type { Org } from '../orgs/org.js';
import type { Role } from '../roles.js';
import { assertMayChangeRole, assignableRole } from '../roles/assign-role.js';
import type { BulkRoleStore } from './bulk-role-store.js';
import { withRole, type Membership } from './membership.js';

/** bulkChangeRole's port: the table's store (bulkRoleStore(db)) or an in-memory fake. */
export interface BulkChangeRoleDeps {
  members: BulkRoleStore;
}

/**
 * Gives many members one role, all or nothing: every changed membership, the admin counter,
 * the actor check and one audit event (listing each member's before/after) are one
 * transaction, so last-admin protection holds for the batch as a whole.
 */
export async function bulkChangeRole(
  deps: BulkChangeRoleDeps,
  org: Pick<Org, 'orgId' | 'customRoles'>,
  userIds: string[],
  role: Role,
  actor: Membership | undefined,
  audit: AuditContext,
): Promise<{ changed: string[]; unchanged: string[] }> {
  const { members } = deps;
  const { orgId, customRoles } = org;
  assignableRole(customRoles, actor, role);
  const unique = [...new Set(userIds)];
  const found = new Map((await members.membershipsOf(orgId, unique)).map((m) => [m.userId, m]));
  const missing = unique.filter((id) => !found.has(id));
  if (missing.length > 0) throw new NotFoundError(`No such members: ${missing.join(', ')}`, 'members_not_found');

  const toChange = [...found.values()].filter((m) => m.role !== role);
  if (toChange.length === 0) return { changed: [], unchanged: unique };
  for (const m of toChange) assertMayChangeRole(customRoles, actor, m, role, 'role');
  const now = audit.now.toISOString();
  await members.commitBulkRole({
    orgId,
    moves: toChange.map((current) => ({ current, next: { ...withRole(current, role, customRoles), updatedAt: now } })),
    // A transaction names an item once: an actor among the members named is not checked again (a
    // changed one is conditioned on the version read).
    actor: actor && !found.has(actor.userId) ? actor : undefined,
    event: {
      orgId,
      action: 'member.role_changed.bulk',
      target: { type: 'org', id: orgId },
      before: { members: toChange.map((m) => ({ userId: m.userId, role: m.role })) },
      after: { role, userIds: toChange.map((m) => m.userId) },
    },
    audit,
  });
  return {
    changed: toChange.map((m) => m.userId),
    unchanged: unique.filter((id) => !toChange.some((m) => m.userId === id)),
  };
}
