import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Database } from './dynamo-client.js';
import type { ItemKey } from './keys.js';

/** One item by its key, strongly consistent unless asked otherwise; undefined when there is none. */
export async function getItem(
  db: Database,
  key: ItemKey,
  consistent = true,
): Promise<Record<string, unknown> | undefined> {
  const { Item } = await db.client.send(
    new GetCommand({ TableName: db.tableName, Key: key, ConsistentRead: consistent }),
  );
  return Item;
}
