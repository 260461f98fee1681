import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Membership } from './membership.js';
import { isFirstMatch, searchTermsOf } from './search-terms.js';
import {
  memberSearchIndexKeys,
  memberSearchKey,
  membershipIndexKeys,
  membershipKey,
  lastActiveSortKey,
  memberListIndex,
  memberListPartition,
  memberSortPrefix,
  USER_MEMBERSHIP_SORT_PREFIX,
  userMembershipsPartition,
} from '../data/keys.js';
import { PARTITION_KEY, SORT_KEY, indexKeyAttributes } from '../data/table-definition.js';
import type { Database } from '../data/dynamo-client.js';
import { writeStep } from '../data/conditional-write.js';
import { update, type TransactionStep } from '../data/transactions.js';
import { queryPage, queryPageKeeping, type Page, type PageQuery } from '../data/pagination.js';

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
    ...(item.managesOrg === true ? { managesOrg: true as const } : {}),
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

/** One page of the org's members in name order (the by-name index: the CSV export's order). */
export async function queryMembersByName(
  db: Database,
  orgId: string,
  limit: number,
  cursor: string | undefined,
): Promise<Page<Membership>> {
  const page = await queryPage(db, {
    index: memberListIndex.sort.name,
    partition: memberListPartition.all(orgId),
    sortKey: { beginsWith: memberSortPrefix.name },
    forward: true,
    limit,
    cursor,
  });
  return { items: page.items.map(membershipFromItem), nextCursor: page.nextCursor };
}

/** One page of a team's members in name order (its member index). */
export async function queryTeamMembers(
  db: Database,
  orgId: string,
  teamId: string,
  limit: number,
  cursor: string | undefined,
): Promise<Page<Membership>> {
  const page = await queryPage(db, {
    index: memberListIndex.filter.teamId,
    partition: memberListPartition.team(orgId, teamId),
    // Members only: the team's own entry in this index sorts before them, outside the `n#` prefix.
    sortKey: { beginsWith: memberSortPrefix.name },
    forward: true,
    limit,
    cursor,
  });
  return { items: page.items.map(membershipFromItem), nextCursor: page.nextCursor };
}

/**
 * Ends the member's sessions in this org only (a revocation time on the membership), as a step
 * conditioned on the version read; the version moves, so a concurrent edit is refused, not lost.
 */
export function membershipSessionsRevokedStep(db: Database, m: Membership, now: Date): TransactionStep {
  return update(db, {
    key: membershipKey(m.orgId, m.userId),
    updateExpression: 'SET sessionsRevokedAt = :now, version = version + :one',
    condition: 'version = :seen',
    values: { ':now': now.toISOString(), ':one': 1, ':seen': m.version },
  });
}

/**
 * The member's request as their last activity (and its index key), while still due: written
 * once by concurrent requests, without moving the version (an admin's concurrent change never
 * fails on it). `dueBefore`: an older lastActiveAt is due.
 */
export function lastActiveStep(db: Database, m: Membership, at: string, dueBefore: string): TransactionStep {
  const gsi = indexKeyAttributes('GSI9');
  return update(db, {
    key: membershipKey(m.orgId, m.userId),
    updateExpression: 'SET lastActiveAt = :at, #sk = :sk',
    condition:
      'attribute_exists(PK) AND (attribute_not_exists(lastActiveAt) OR attribute_type(lastActiveAt, :null) OR lastActiveAt <= :due)',
    names: { '#sk': gsi.sortKey },
    values: { ':at': at, ':sk': lastActiveSortKey(m.userId, at), ':null': 'NULL', ':due': dueBefore },
  });
}

/**
 * One page of a member search: the user ids of the search entries matching `search` (the
 * folded q), each member once (the entry of their first matching term), in the index's order.
 * Only the entry's keys, user id, slot and terms are read; the memberships are read by key after.
 */
export async function querySearchEntries(db: Database, query: PageQuery, search: string): Promise<Page<string>> {
  const index = indexKeyAttributes(query.index!);
  const page = await queryPageKeeping(
    db,
    query,
    (item) => isFirstMatch(item.terms as string[], Number(item.slot), search),
    {
      ProjectionExpression: [
        PARTITION_KEY,
        SORT_KEY,
        index.partitionKey,
        index.sortKey,
        'userId',
        'slot',
        'terms',
      ].join(', '),
    },
  );
  return { items: page.items.map((i) => String(i.userId)), nextCursor: page.nextCursor };
}
