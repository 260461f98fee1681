import { batchGetAll } from '../data/batch-get.js';
import type { Database } from '../data/dynamo-client.js';
import { orgKey } from '../data/keys.js';
import { listMembershipsOfUser } from '../members/membership-repository.js';
import { membershipView } from '../members/membership.js';
import type { Caller } from '../caller.js';
import { userView } from '../users/user.js';

/**
 * The signed-in user and their memberships with each org's name: one Query on the user's
 * memberships and one BatchGetItem for the org names (a user belongs to few orgs); keys
 * DynamoDB hands back unprocessed (throttling) are retried (batchGetAll), never shown as a
 * membership without its org's name.
 */
export async function getMe(db: Database, caller: Caller) {
  const memberships = caller.user ? await listMembershipsOfUser(db, caller.userId) : [];
  const orgNames = new Map<string, string>();
  if (memberships.length > 0) {
    for (const item of await batchGetAll(
      db,
      memberships.map((m) => orgKey(m.orgId)),
    ))
      orgNames.set(item.orgId as string, item.name as string);
  }
  return {
    userId: caller.userId,
    isPlatformAdmin: caller.isPlatformAdmin,
    user: caller.user ? userView(caller.user) : null,
    memberships: memberships.map((m) => ({ ...membershipView(m), orgName: orgNames.get(m.orgId) ?? null })),
  };
}
