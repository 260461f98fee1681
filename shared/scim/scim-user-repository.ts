import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { auditStep, diffFields, type AuditContext } from '../audit/audit-event.js';
import { batchGetConsistent } from '../data/batch-get.js';
import type { Database } from '../data/dynamo-client.js';
import { memberListIndex, memberListPartition, memberSortPrefix, membershipKey, scimExternalIdKey, scimUserProfileKey } from '../data/keys.js';
import { membershipFromItem } from '../data/membership-repository.js';
import { indexKeyAttributes } from '../data/table-definition.js';
import { put, remove, transactWrite, type TransactionStep } from '../data/transactions.js';
import { ConcurrentModificationError, ConflictError } from '../errors.js';
import type { Membership } from '../members/membership.js';
import { EMPTY_PROFILE, type ScimUserProfile } from './user-resource.js';

const PROFILE_ENTITY = 'scimUserProfile';
const EXTERNAL_ID_ENTITY = 'scimExternalId';

export interface ScimMember {
  membership: Membership;
  profile: ScimUserProfile | undefined;
  /** The profile item's version as read (0: none yet); profile writes are conditioned on it. */
  profileVersion: number;
}

function profileFromItem(item: Record<string, unknown>): ScimUserProfile {
  const s = (v: unknown) => (typeof v === 'string' ? v : null);
  return {
    externalId: s(item.externalId),
    givenName: s(item.givenName),
    familyName: s(item.familyName),
    formatted: s(item.formatted),
    displayName: s(item.displayName),
    department: s(item.department),
    manager: s(item.manager),
  };
}

const sameKey = (item: Record<string, unknown>, key: { PK: string; SK: string }) => item.PK === key.PK && item.SK === key.SK;

/** Members with their SCIM profiles, in one consistent BatchGetItem (at most 50 users). */
export async function getScimMembers(db: Database, orgId: string, userIds: string[]): Promise<ScimMember[]> {
  if (userIds.length === 0) return [];
  const keys = userIds.flatMap((u) => [membershipKey(orgId, u), scimUserProfileKey(orgId, u)]);
  const items = await batchGetConsistent(db, keys);
  return userIds.flatMap((userId) => {
    const membershipItem = items.find((i) => sameKey(i, membershipKey(orgId, userId)));
    if (!membershipItem) return [];
    const profileItem = items.find((i) => sameKey(i, scimUserProfileKey(orgId, userId)));
    return [{ membership: membershipFromItem(membershipItem), profile: profileItem ? profileFromItem(profileItem) : undefined, profileVersion: Number(profileItem?.version ?? 0) }];
  });
}

/** The user an org's externalId claim names, if any (strongly consistent). */
export async function findUserIdByExternalId(db: Database, orgId: string, externalId: string): Promise<string | undefined> {
  const { Item } = await db.client.send(new GetCommand({ TableName: db.tableName, Key: scimExternalIdKey(orgId, externalId), ConsistentRead: true }));
  return Item?.userId as string | undefined;
}

/**
 * Up to `count` memberships after skipping `skip`, in name order from the members-by-name
 * index. SCIM pages by position, not by cursor, so the skipped ones are read too (keys only):
 * the caller caps skip + count so a page stays bounded.
 */
export async function memberIdsByName(db: Database, orgId: string, skip: number, count: number): Promise<string[]> {
  const index = memberListIndex.sort.name;
  const names = indexKeyAttributes(index);
  const ids: string[] = [];
  let start: Record<string, unknown> | undefined;
  let seen = 0;
  do {
    const out = await db.client.send(
      new QueryCommand({
        TableName: db.tableName,
        IndexName: index,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        ExpressionAttributeNames: { '#pk': names.partitionKey, '#sk': names.sortKey, '#userId': 'userId' },
        ExpressionAttributeValues: { ':pk': memberListPartition.all(orgId), ':prefix': memberSortPrefix.name },
        ProjectionExpression: '#userId',
        Limit: skip + count - seen,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of out.Items ?? []) {
      if (seen >= skip && ids.length < count) ids.push(item.userId as string);
      seen++;
    }
    start = out.LastEvaluatedKey;
  } while (start && seen < skip + count);
  return ids;
}

const externalIdTaken = (externalId: string) => new ConflictError(`The externalId ${externalId} belongs to another user`, 'scim_external_id_taken');

/**
 * Writes a member's SCIM profile when it changed: the profile (conditioned on the version
 * read, so concurrent PATCHes cannot interleave), the move of the externalId claim (unique
 * per org) and the audit event are one transaction. Returns the version now stored.
 */
export async function saveScimProfile(
  db: Database,
  orgId: string,
  userId: string,
  before: { profile: ScimUserProfile | undefined; version: number },
  after: ScimUserProfile,
  audit: AuditContext,
): Promise<number> {
  const old = before.profile ?? EMPTY_PROFILE;
  const changes = diffFields(old, after);
  if (Object.keys(changes.after).length === 0) return before.version;
  const condition = before.version === 0 ? 'attribute_not_exists(PK)' : { expression: 'version = :seen', values: { ':seen': before.version } };
  const steps: TransactionStep[] = [
    put(db, { ...scimUserProfileKey(orgId, userId), entity: PROFILE_ENTITY, orgId, userId, ...after, version: before.version + 1 }, condition, () => new ConcurrentModificationError()),
  ];
  if (after.externalId !== old.externalId) {
    if (after.externalId !== null) {
      steps.push(
        put(db, { ...scimExternalIdKey(orgId, after.externalId), entity: EXTERNAL_ID_ENTITY, orgId, userId, externalId: after.externalId }, { expression: 'attribute_not_exists(PK) OR userId = :me', values: { ':me': userId } }, () =>
          externalIdTaken(after.externalId!),
        ),
      );
    }
    if (old.externalId !== null) steps.push(remove(db, scimExternalIdKey(orgId, old.externalId), { expression: 'userId = :me', values: { ':me': userId } }));
  }
  steps.push(auditStep(db, { orgId, action: 'member.scim_attributes_updated', target: { type: 'member', id: userId }, ...changes }, audit));
  await transactWrite(db, steps);
  return before.version + 1;
}
