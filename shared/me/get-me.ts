import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import type { Database } from '../data/dynamo-client.js';
import { orgKey } from '../data/keys.js';
import { listMembershipsOfUser } from '../data/membership-repository.js';
import { membershipView } from '../members/membership.js';
import type { Caller } from '../http/authorize.js';
import { userView } from '../users/user.js';

/**
 * The signed-in user and their memberships with each org's name: one Query on the user's
 * memberships and one BatchGetItem for the org names (a user belongs to few orgs).
 */
export async function getMe(db: Database, caller: Caller) {
  const memberships = caller.user ? await listMembershipsOfUser(db, caller.userId) : [];
  const orgNames = new Map<string, string>();
  if (memberships.length > 0) {
    const out = await db.client.send(new BatchGetCommand({ RequestItems: { [db.tableName]: { Keys: memberships.map((m) => orgKey(m.orgId)), ProjectionExpression: 'orgId, #n', ExpressionAttributeNames: { '#n': 'name' } } } }));
    for (const item of out.Responses?.[db.tableName] ?? []) orgNames.set(item.orgId as string, item.name as string);
  }
  return {
    userId: caller.userId,
    isPlatformAdmin: caller.isPlatformAdmin,
    user: caller.user ? userView(caller.user) : null,
    memberships: memberships.map((m) => ({ ...membershipView(m), orgName: orgNames.get(m.orgId) ?? null })),
  };
}
