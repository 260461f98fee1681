import { batchGetAll } from '../data/batch-get.js';
import type { Database } from '../data/dynamo-client.js';
import { orgKey } from '../data/keys.js';
import { listMembershipsOfUser } from '../members/membership-repository.js';
import { membershipView } from '../members/membership.js';
import type { Caller } from '../caller.js';
import { userView } from '../users/user.js';
import { roleDefinition, type CustomRoles } from '../roles.js';

/**
 * The signed-in user and their memberships with each org's name and the permissions of their
 * role there: one Query on the user's
 * memberships and one BatchGetItem for the orgs (names and roles) (a user belongs to few orgs); keys
 * DynamoDB hands back unprocessed (throttling) are retried (batchGetAll), never shown as a
 * membership without its org's name.
 */
export async function getMe(db: Database, caller: Caller) {
  const memberships = caller.user ? await listMembershipsOfUser(db, caller.userId) : [];
  const orgs = new Map<string, { name: string; customRoles: CustomRoles }>();
  if (memberships.length > 0) {
    for (const item of await batchGetAll(
      db,
      memberships.map((m) => orgKey(m.orgId)),
    ))
      orgs.set(item.orgId as string, {
        name: item.name as string,
        customRoles: (item.customRoles ?? {}) as CustomRoles,
      });
  }
  return {
    userId: caller.userId,
    isPlatformAdmin: caller.isPlatformAdmin,
    user: caller.user ? userView(caller.user) : null,
    memberships: memberships.map((m) => {
      const org = orgs.get(m.orgId);
      // The role's permissions, the app's own (app:<name>) included: what an app reads to decide for itself.
      const permissions = org ? [...(roleDefinition(org.customRoles, m.role)?.permissions ?? [])] : [];
      return { ...membershipView(m), orgName: org?.name ?? null, permissions };
    }),
  };
}
