import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { auditStep, diffFields, type AuditContext } from '../audit/audit-event.js';
import { batchGetConsistent } from '../data/batch-get.js';
import type { Database } from '../data/dynamo-client.js';
import {
  memberListIndex,
  memberListPartition,
  memberSortPrefix,
  membershipKey,
  scimExternalIdKey,
  scimUserProfileIndexKeys,
  scimUserProfileKey,
  userMembershipsPartition,
} from '../data/keys.js';
import { MEMBERSHIP_ENTITY, membershipFromItem } from '../members/membership-repository.js';
import { indexKeyAttributes } from '../data/table-definition.js';
import { check, put, remove, update, type Condition, type TransactionStep } from '../data/transactions.js';
import { ConcurrentModificationError, ConflictError } from '../errors.js';
import type { Membership } from '../members/membership.js';
import { EMPTY_PROFILE, type ScimUserProfile } from './user-state.js';

const PROFILE_ENTITY = 'scimUserProfile';
const EXTERNAL_ID_ENTITY = 'scimExternalId';

export interface ScimMember {
  membership: Membership;
  profile: ScimUserProfile | undefined;
  /** The profile item's version as read (0: none yet); profile writes are conditioned on it. */
  profileVersion: number;
}

export function profileFromItem(item: Record<string, unknown>): ScimUserProfile {
  const s = (v: unknown) => (typeof v === 'string' ? v : null);
  return Object.fromEntries(Object.keys(EMPTY_PROFILE).map((k) => [k, s(item[k])])) as unknown as ScimUserProfile;
}

const sameKey = (item: Record<string, unknown>, key: { PK: string; SK: string }) =>
  item.PK === key.PK && item.SK === key.SK;

/** Members with their SCIM profiles, in one consistent BatchGetItem (at most 50 users). */
export async function getScimMembers(db: Database, orgId: string, userIds: string[]): Promise<ScimMember[]> {
  if (userIds.length === 0) return [];
  const keys = userIds.flatMap((u) => [membershipKey(orgId, u), scimUserProfileKey(orgId, u)]);
  const items = await batchGetConsistent(db, keys);
  return userIds.flatMap((userId) => {
    const membershipItem = items.find((i) => sameKey(i, membershipKey(orgId, userId)));
    if (!membershipItem) return [];
    const profileItem = items.find((i) => sameKey(i, scimUserProfileKey(orgId, userId)));
    return [
      {
        membership: membershipFromItem(membershipItem),
        profile: profileItem ? profileFromItem(profileItem) : undefined,
        profileVersion: Number(profileItem?.version ?? 0),
      },
    ];
  });
}

/** The user an org's externalId claim names, if any (strongly consistent). */
export async function findUserIdByExternalId(
  db: Database,
  orgId: string,
  externalId: string,
): Promise<string | undefined> {
  const { Item } = await db.client.send(
    new GetCommand({ TableName: db.tableName, Key: scimExternalIdKey(orgId, externalId), ConsistentRead: true }),
  );
  return Item?.userId as string | undefined;
}

/**
 * Up to `count` memberships after skipping `skip`, in name order from the members-by-name
 * index, leaving out those whose SCIM User was deleted. SCIM pages by position, not by cursor,
 * so the skipped ones are read too (keys only): the caller caps skip + count so a page stays
 * bounded (plus the deleted ones passed over, which the IdP itself deleted).
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
        ExpressionAttributeNames: {
          '#pk': names.partitionKey,
          '#sk': names.sortKey,
          '#userId': 'userId',
          '#deleted': 'scimDeleted',
        },
        ExpressionAttributeValues: { ':pk': memberListPartition.all(orgId), ':prefix': memberSortPrefix.name },
        ProjectionExpression: '#userId, #deleted',
        Limit: skip + count - seen,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of out.Items ?? []) {
      // A member whose SCIM User was deleted is not a SCIM resource: it holds no position.
      if (item.scimDeleted === true) continue;
      if (seen >= skip && ids.length < count) ids.push(item.userId as string);
      seen++;
    }
    start = out.LastEvaluatedKey;
  } while (start && seen < skip + count);
  return ids;
}

const externalIdTaken = (externalId: string) =>
  new ConflictError(`The externalId ${externalId} belongs to another user`, 'scim_external_id_taken');

/** A profile write, ready to join the change's transaction. */
export interface ProfileWrite {
  steps: TransactionStep[];
  /** The profile version once the steps commit. */
  version: number;
  /** The audit event's before/after of the SCIM attributes (empty: nothing changed, no steps). */
  changes: { before: Record<string, unknown>; after: Record<string, unknown> };
}

/**
 * The steps that write a member's SCIM profile when it changed: the profile (conditioned on
 * the version read, so concurrent PATCHes cannot interleave) and the move of the externalId
 * claim (unique per org). The caller puts them in the member change's own transaction.
 */
export function profileWriteSteps(
  db: Database,
  orgId: string,
  userId: string,
  before: { profile: ScimUserProfile | undefined; version: number },
  after: ScimUserProfile,
): ProfileWrite {
  const old = before.profile ?? EMPTY_PROFILE;
  const changes = diffFields(old, after);
  if (Object.keys(changes.after).length === 0) return { steps: [], version: before.version, changes };
  const condition = profileVersionCondition(before.version);
  const steps: TransactionStep[] = [
    put(
      db,
      {
        ...scimUserProfileKey(orgId, userId),
        ...scimUserProfileIndexKeys(orgId, userId),
        entity: PROFILE_ENTITY,
        orgId,
        userId,
        ...after,
        version: before.version + 1,
      },
      condition,
      () => new ConcurrentModificationError(),
    ),
  ];
  if (after.externalId !== old.externalId) {
    if (after.externalId !== null) {
      steps.push(
        put(
          db,
          {
            ...scimExternalIdKey(orgId, after.externalId),
            entity: EXTERNAL_ID_ENTITY,
            orgId,
            userId,
            externalId: after.externalId,
          },
          { expression: 'attribute_not_exists(PK) OR userId = :me', values: { ':me': userId } },
          () => externalIdTaken(after.externalId!),
        ),
      );
    }
    if (old.externalId !== null)
      steps.push(
        remove(db, scimExternalIdKey(orgId, old.externalId), { expression: 'userId = :me', values: { ':me': userId } }),
      );
  }
  return { steps, version: before.version + 1, changes };
}

/**
 * The steps that delete a member's SCIM profile and externalId claim (the membership is being
 * removed), conditioned on the profile as read: a profile written meanwhile, or one the read
 * missed (none seen: it must not exist), fails the transaction rather than being left behind.
 */
export function profileRemoveSteps(
  db: Database,
  orgId: string,
  userId: string,
  seen: Pick<ScimMember, 'profile' | 'profileVersion'>,
): TransactionStep[] {
  if (!seen.profile) return [profileCheckStep(db, orgId, userId, 0)];
  return [
    remove(db, scimUserProfileKey(orgId, userId), profileVersionCondition(seen.profileVersion)),
    ...(seen.profile.externalId !== null
      ? [
          remove(db, scimExternalIdKey(orgId, seen.profile.externalId), {
            expression: 'userId = :me',
            values: { ':me': userId },
          }),
        ]
      : []),
  ];
}

function profileVersionCondition(version: number): Condition {
  return version === 0 ? 'attribute_not_exists(PK)' : { expression: 'version = :seen', values: { ':seen': version } };
}

/** The profile is still the version read (0: still absent); for a change that reads it but does not write it. */
export function profileCheckStep(db: Database, orgId: string, userId: string, version: number): TransactionStep {
  const key = scimUserProfileKey(orgId, userId);
  if (version === 0)
    return check(db, { key, condition: 'attribute_not_exists(PK)' }, () => new ConcurrentModificationError());
  return check(
    db,
    { key, condition: 'version = :seen', values: { ':seen': version } },
    () => new ConcurrentModificationError(),
  );
}

/**
 * Gives a profile its index entry, conditioned on the version read (so it also checks it). A
 * profile written before profiles had one is missed by the index read; the strong retry adds
 * the entry, so the user's next deactivation finds the profile in the one Query.
 */
export function profileIndexBackfillStep(
  db: Database,
  orgId: string,
  userId: string,
  version: number,
): TransactionStep {
  const entry = Object.entries(scimUserProfileIndexKeys(orgId, userId));
  return update(
    db,
    {
      key: scimUserProfileKey(orgId, userId),
      updateExpression: `SET ${entry.map((_, i) => `#k${i} = :k${i}`).join(', ')}`,
      condition: 'version = :seen',
      names: Object.fromEntries(entry.map(([name], i) => [`#k${i}`, name])),
      values: { ':seen': version, ...Object.fromEntries(entry.map(([, value], i) => [`:k${i}`, value])) },
    },
    () => new ConcurrentModificationError(),
  );
}

/** The membership is still the version read; for a change built on an index read that does not write it. */
export function membershipCheckStep(db: Database, membership: Membership): TransactionStep {
  return check(
    db,
    {
      key: membershipKey(membership.orgId, membership.userId),
      condition: 'version = :seen',
      values: { ':seen': membership.version },
    },
    () => new ConcurrentModificationError(),
  );
}

/** A member read together with the user's memberships in other orgs. */
export interface ScimMemberRead {
  member: ScimMember | undefined;
  /** The user's memberships in other orgs: whether one is active decides if their sessions end. */
  others: Membership[];
  /**
   * True when the member came from the index, which may lag a write by a moment: the change must
   * then condition the membership and the profile on the versions read (written or checked), so a
   * stale read fails as ConcurrentModificationError and is repeated with `fresh`.
   */
  indexed: boolean;
}

/**
 * A member, their SCIM profile and their other memberships. Normally ONE Query of the user's
 * GSI1 partition, which holds the user's memberships (ORG#…) and SCIM profiles (SCIM#ORG#…);
 * a member the index does not show yet (just created) is read strongly. `fresh` reads the
 * member strongly (BatchGet) beside the Query, for the retry after a stale read. Profiles
 * written before they had an index entry look absent here; the profile condition then fails
 * once and the fresh read finds them.
 */
export async function readScimMemberWithOthers(
  db: Database,
  orgId: string,
  userId: string,
  fresh: boolean,
): Promise<ScimMemberRead> {
  if (fresh) {
    const [items, [member]] = await Promise.all([userPartitionItems(db, userId), getScimMembers(db, orgId, [userId])]);
    return { member, others: otherMemberships(items, orgId), indexed: false };
  }
  const items = await userPartitionItems(db, userId);
  const others = otherMemberships(items, orgId);
  const membershipItem = items.find((i) => i.entity === MEMBERSHIP_ENTITY && i.orgId === orgId);
  if (!membershipItem) {
    const [member] = await getScimMembers(db, orgId, [userId]);
    return { member, others, indexed: false };
  }
  const profileItem = items.find((i) => i.entity === PROFILE_ENTITY && i.orgId === orgId);
  return {
    member: {
      membership: membershipFromItem(membershipItem),
      profile: profileItem ? profileFromItem(profileItem) : undefined,
      profileVersion: Number(profileItem?.version ?? 0),
    },
    others,
    indexed: true,
  };
}

const otherMemberships = (items: Record<string, unknown>[], orgId: string): Membership[] =>
  items.filter((i) => i.entity === MEMBERSHIP_ENTITY && i.orgId !== orgId).map(membershipFromItem);

/** Everything in a user's GSI1 partition: memberships and SCIM profiles (a user belongs to few orgs). */
async function userPartitionItems(db: Database, userId: string): Promise<Record<string, unknown>[]> {
  const index = memberListIndex.byMembershipsOfUser;
  const { Items = [] } = await db.client.send(
    new QueryCommand({
      TableName: db.tableName,
      IndexName: index,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': indexKeyAttributes(index).partitionKey },
      ExpressionAttributeValues: { ':pk': userMembershipsPartition(userId) },
      Limit: 200,
    }),
  );
  return Items;
}

/** The audit step of a SCIM attribute change (none when nothing changed). */
export function profileAuditStep(
  db: Database,
  orgId: string,
  userId: string,
  write: ProfileWrite,
  audit: AuditContext,
): TransactionStep | undefined {
  if (write.steps.length === 0) return undefined;
  return auditStep(
    db,
    { orgId, action: 'member.scim_attributes_updated', target: { type: 'member', id: userId }, ...write.changes },
    audit,
  );
}
