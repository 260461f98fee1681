import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Membership } from './membership.js';
import { searchTermsOf } from './search-terms.js';
import {
  memberSearchIndexKeys,
  memberSearchKey,
  membershipIndexKeys,
  membershipKey,
  memberListIndex,
  USER_MEMBERSHIP_SORT_PREFIX,
  userMembershipsPartition,
} from '../data/keys.js';
import { indexKeyAttributes } from '../data/table-definition.js';
import type { Database } from '../data/dynamo-client.js';
import { writeStep } from '../data/conditional-write.js';
import { update } from '../data/transactions.js';

export const MEMBERSHIP_ENTITY = 'membership';

export function membershipToItem(m: Membership): Record<string, unknown> {
  return { ...membershipKey(m.orgId, m.userId), ...membershipIndexKeys(m), entity: MEMBERSHIP_ENTITY, ...m };
}

export const MEMBER_SEARCH_ENTITY = 'member_search';

/** The membership's search-term items, slot by slot (each names all the member's terms, so a page can keep one entry per member). */
export function memberSearchItems(m: Membership): Record<string, unknown>[] {
  const terms = searchTermsOf(m.name, m.email);
  return terms.map((term, slot) => ({
    ...memberSearchKey(m.orgId, m.userId, slot),
    ...memberSearchIndexKeys(m, term),
    entity: MEMBER_SEARCH_ENTITY,
    orgId: m.orgId,
    userId: m.userId,
    slot,
    terms,
  }));
}

export function membershipFromItem(item: Record<string, unknown>): Membership {
  return {
    orgId: item.orgId as string,
    userId: item.userId as string,
    name: item.name as string,
    email: item.email as string,
    role: item.role as Membership['role'],
    teamId: (item.teamId as string | undefined) ?? null,
    status: item.status as Membership['status'],
    source: item.source as Membership['source'],
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
    lastLoginAt: (item.lastLoginAt as string | undefined) ?? null,
    lastActiveAt: (item.lastActiveAt as string | undefined) ?? null,
    version: Number(item.version ?? 0),
    ...(item.scimDeleted === true ? { scimDeleted: true as const } : {}),
    pendingEmail: (item.pendingEmail as string | null | undefined) ?? null,
    sessionsRevokedAt: (item.sessionsRevokedAt as string | null | undefined) ?? null,
  };
}

/** A user's memberships across orgs (GSI1, ORG# only: the partition also holds SCIM profiles), at most `limit` (users belong to few orgs). */
export async function listMembershipsOfUser(db: Database, userId: string, limit = 100): Promise<Membership[]> {
  const index = indexKeyAttributes(memberListIndex.byMembershipsOfUser);
  const { Items = [] } = await db.client.send(
    new QueryCommand({
      TableName: db.tableName,
      IndexName: memberListIndex.byMembershipsOfUser,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :memberships)',
      ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey },
      ExpressionAttributeValues: {
        ':pk': userMembershipsPartition(userId),
        ':memberships': USER_MEMBERSHIP_SORT_PREFIX,
      },
      Limit: limit,
    }),
  );
  return Items.map(membershipFromItem);
}

export async function getMembership(db: Database, orgId: string, userId: string): Promise<Membership | undefined> {
  const { Item } = await db.client.send(
    new GetCommand({ TableName: db.tableName, Key: membershipKey(orgId, userId), ConsistentRead: true }),
  );
  return Item ? membershipFromItem(Item) : undefined;
}

/**
 * Records a sign-in on a membership, with the index key that sorts members by last login; false
 * when the membership is gone. The version moves too, so an admin's concurrent edit based on an
 * older read is refused, not lost.
 */
export function recordMembershipSignIn(db: Database, m: Membership, at: string): Promise<boolean> {
  return writeStep(
    db,
    update(db, {
      key: membershipKey(m.orgId, m.userId),
      updateExpression: 'SET lastLoginAt = :at, GSI5SK = :sk, version = version + :one',
      condition: 'attribute_exists(PK)',
      values: { ':at': at, ':sk': membershipIndexKeys({ ...m, lastLoginAt: at }).GSI5SK, ':one': 1 },
    }),
  );
}
