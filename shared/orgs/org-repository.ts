import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Org, OrgSettings } from './org.js';
import { DEFAULT_ORG_SETTINGS } from './org.js';
import { orgIndexKeys, orgKey } from '../data/keys.js';
import type { Database } from '../data/dynamo-client.js';

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
