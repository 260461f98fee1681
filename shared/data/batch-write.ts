import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { inBatches, mapBounded } from '../concurrency.js';
import type { Database } from './dynamo-client.js';
import type { ItemKey } from './keys.js';

/** BatchWriteItem's cap on requests per call. */
const BATCH_WRITE_SIZE = 25;

type WriteRequest = { PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: ItemKey } };

/**
 * Puts items 25 at a time (BatchWriteItem's cap), `inFlight` calls at once, retrying what
 * DynamoDB hands back unprocessed. No conditions and no atomicity: for items nothing else can
 * be writing (fresh ids, an import's own chunks).
 */
export function putItems(db: Database, items: Record<string, unknown>[], inFlight = 1): Promise<void> {
  return writeBatches(
    db,
    items.map((Item) => ({ PutRequest: { Item } })),
    inFlight,
  );
}

/** Deletes items by key, as putItems writes them (unconditional: deleting a missing item is no error). */
export function deleteItems(db: Database, keys: ItemKey[], inFlight = 1): Promise<void> {
  return writeBatches(
    db,
    keys.map((Key) => ({ DeleteRequest: { Key } })),
    inFlight,
  );
}

async function writeBatches(db: Database, requests: WriteRequest[], inFlight: number): Promise<void> {
  await mapBounded(inBatches(requests, BATCH_WRITE_SIZE), inFlight, async (batch) => {
    let pending = batch;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 6) throw new Error('BatchWriteItem kept returning unprocessed items');
      if (attempt > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
      const out = await db.client.send(new BatchWriteCommand({ RequestItems: { [db.tableName]: pending } }));
      pending = (out.UnprocessedItems?.[db.tableName] as WriteRequest[] | undefined) ?? [];
    }
  });
}
