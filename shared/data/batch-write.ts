import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Database } from './dynamo-client.js';

/**
 * Puts items 25 at a time (BatchWriteItem's cap), retrying what DynamoDB hands back
 * unprocessed. No conditions and no atomicity: for items nothing else can be writing (fresh
 * ids, an import's own chunks).
 */
export async function putItems(db: Database, items: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let pending = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 6) throw new Error('BatchWriteItem kept returning unprocessed items');
      if (attempt > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
      const out = await db.client.send(new BatchWriteCommand({ RequestItems: { [db.tableName]: pending } }));
      pending = (out.UnprocessedItems?.[db.tableName] as typeof pending | undefined) ?? [];
    }
  }
}
