import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { inBatches, mapBounded } from '../concurrency.js';
import type { Database } from './dynamo-client.js';
import type { ItemKey } from './keys.js';

/**
 * Strongly consistent BatchGetItem of up to 100 keys, in one round trip unless DynamoDB hands
 * keys back unprocessed (throttling), which are retried with backoff rather than answered on
 * partial data.
 */
export async function batchGetConsistent(db: Database, keys: ItemKey[]): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  let pending: ItemKey[] = keys;
  // Unprocessed keys are rare (throttling); retry them rather than answer on partial data.
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > 5) throw new Error('BatchGetItem kept returning unprocessed keys');
    const out = await db.client.send(
      new BatchGetCommand({ RequestItems: { [db.tableName]: { Keys: pending, ConsistentRead: true } } }),
    );
    found.push(...(out.Responses?.[db.tableName] ?? []));
    pending = (out.UnprocessedKeys?.[db.tableName]?.Keys as ItemKey[] | undefined) ?? [];
    if (pending.length > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
  }
  return found;
}

/** BatchGetItem calls in flight for a long key list (each reads up to 100 items). */
const BATCH_GETS_IN_FLIGHT = 8;

/** Every item of `keys` that exists, strongly consistent: 100 keys per BatchGetItem, a few calls in flight. */
export async function batchGetAll(db: Database, keys: ItemKey[]): Promise<Record<string, unknown>[]> {
  const pages = await mapBounded(inBatches(keys, 100), BATCH_GETS_IN_FLIGHT, (batch) => batchGetConsistent(db, batch));
  return pages.flat();
}
