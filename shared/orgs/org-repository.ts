import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Org, OrgSettings } from './org.js';
import { DEFAULT_ORG_SETTINGS } from './org.js';
import { orgIndexKeys, orgKey } from '../data/keys.js';
import type { Database } from '../data/dynamo-client.js';
import { update, type TransactionStep } from '../data/transactions.js';
import type { DomainError } from '../errors.js';

export const ORG_ENTITY = 'org';

export function orgToItem(org: Org): Record<string, unknown> {
  return { ...orgKey(org.orgId), ...orgIndexKeys(org.orgId, org.name), entity: ORG_ENTITY, ...org };
}

export function orgFromItem(item: Record<string, unknown>): Org {
  const settings = { ...DEFAULT_ORG_SETTINGS, ...(item.settings as Partial<OrgSettings> | undefined) };
  return {
    orgId: item.orgId as string,
    name: item.name as string,
    maxSeats: Number(item.maxSeats),
    seatsUsed: Number(item.seatsUsed ?? 0),
    activeAdminCount: Number(item.activeAdminCount ?? 0),
    memberCount: Number(item.memberCount ?? 0),
    scimDeletedCount: Number(item.scimDeletedCount ?? 0),
    settings: {
      ...settings,
      allowedEmailDomains: [...settings.allowedEmailDomains],
      verifiedDomains: [...settings.verifiedDomains],
    },
    customRoles: (item.customRoles as Org['customRoles'] | undefined) ?? {},
    rolesVersion: Number(item.rolesVersion ?? 0),
    roleHolders: Object.fromEntries(
      Object.entries((item.roleHolders as Record<string, unknown> | undefined) ?? {}).map(([k, v]) => [k, Number(v)]),
    ),
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
  };
}

export async function getOrg(db: Database, orgId: string, consistent = false): Promise<Org | undefined> {
  const { Item } = await db.client.send(
    new GetCommand({ TableName: db.tableName, Key: orgKey(orgId), ConsistentRead: consistent }),
  );
  return Item ? orgFromItem(Item) : undefined;
}

/**
 * The org's name, seat cap and settings as the caller changed them, conditioned on the version it
 * saw (`updatedAt`) and on the cap not falling below the seats in use; a failure is a
 * ConcurrentModificationError, told apart by re-reading.
 */
export function orgSettingsUpdateStep(
  db: Database,
  next: Org,
  seenUpdatedAt: string,
  /** Custom roles the settings name (SCIM group mapping): they must still exist when the settings are written. */
  customRoleKeys: readonly string[] = [],
): TransactionStep {
  const roleNames = Object.fromEntries(customRoleKeys.map((key, i) => [`#role${i}`, key]));
  return update(db, {
    key: orgKey(next.orgId),
    updateExpression:
      'SET #name = :name, maxSeats = :maxSeats, settings = :settings, updatedAt = :now, GSI1SK = :gsi1sk',
    condition: [
      'updatedAt = :seen AND seatsUsed <= :maxSeats',
      ...customRoleKeys.map((_, i) => `attribute_exists(customRoles.#role${i})`),
    ].join(' AND '),
    names: { '#name': 'name', ...roleNames },
    values: {
      ':name': next.name,
      ':maxSeats': next.maxSeats,
      ':settings': next.settings,
      ':now': next.updatedAt,
      ':gsi1sk': orgIndexKeys(next.orgId, next.name).GSI1SK,
      ':seen': seenUpdatedAt,
    },
  });
}

/** The seat counter set to a recount, only while it still holds the value the recount started from. */
export function seatCounterRepairStep(
  db: Database,
  orgId: string,
  counter: { seen: number; recounted: number },
  onFailed: () => DomainError,
): TransactionStep {
  return update(
    db,
    {
      key: orgKey(orgId),
      updateExpression: 'SET seatsUsed = :recounted',
      condition: 'seatsUsed = :seen',
      values: { ':recounted': counter.recounted, ':seen': counter.seen },
    },
    onFailed,
  );
}
