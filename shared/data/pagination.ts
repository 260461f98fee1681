import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { ValidationError } from '../errors.js';
import type { Database } from './dynamo-client.js';
import { indexKeyAttributes, PARTITION_KEY, SORT_KEY, type IndexName } from './table-definition.js';

/** `?limit=` (1..100, default 50) and an opaque `?cursor=`, shared by every list. */
export const pageQuery = {
  limit: z._default(
    z
      .pipe(
        z.string().check(z.regex(/^\d{1,3}$/, 'must be a whole number from 1 to 100')),
        z.transform((value) => Number(value)),
      )
      .check(z.refine((n) => n >= 1 && n <= 100, 'must be a whole number from 1 to 100')),
    50,
  ),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
};

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageQuery {
  index?: IndexName;
  /** The partition the page is read from; a cursor from another partition is refused. */
  partition: string;
  /** Optional sort-key condition: a prefix, or an inclusive range. */
  sortKey?: { beginsWith: string } | { between: [string, string] };
  forward: boolean;
  limit: number;
  cursor: string | undefined;
}

type Key = Record<string, string>;

function keyAttributes(index: IndexName | undefined): string[] {
  if (!index) return [PARTITION_KEY, SORT_KEY];
  const gsi = indexKeyAttributes(index);
  return [gsi.partitionKey, gsi.sortKey, PARTITION_KEY, SORT_KEY];
}

function encodeCursor(key: Key): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** Decodes a cursor and checks it belongs to this very query's partition (no cross-tenant keys). */
function decodeCursor(cursor: string, query: PageQuery): Key {
  const invalid = () => new ValidationError([{ field: 'query.cursor', message: 'is not a cursor this list issued' }]);
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const attributes = keyAttributes(query.index);
  if (typeof key !== 'object' || key === null || Array.isArray(key)) throw invalid();
  const record = key as Record<string, unknown>;
  if (
    Object.keys(record).length !== attributes.length ||
    !attributes.every((a) => typeof record[a] === 'string' && (record[a] as string).length <= 1024)
  ) {
    throw invalid();
  }
  if (record[attributes[0]!] !== query.partition) throw invalid();
  // DynamoDB refuses a start key outside the sort-key condition; that is the caller's mistake, not a 500.
  const sortValue = record[attributes[1]!] as string;
  const range = query.sortKey;
  if (
    range &&
    ('beginsWith' in range
      ? !sortValue.startsWith(range.beginsWith)
      : sortValue < range.between[0] || sortValue > range.between[1])
  )
    throw invalid();
  return record as Key;
}

/**
 * One page of a Query: reads at most limit+1 items (the extra one only tells whether another
 * page exists), so a page costs the same at 10 items as at 100,000.
 */
export async function queryPage(
  db: Database,
  query: PageQuery,
  extra: Partial<QueryCommandInput> = {},
): Promise<Page<Record<string, unknown>>> {
  const [pkAttr, skAttr] = keyAttributes(query.index) as [string, string];
  const names: Record<string, string> = { '#pk': pkAttr };
  const values: Record<string, unknown> = { ':pk': query.partition };
  let condition = '#pk = :pk';
  if (query.sortKey) {
    names['#sk'] = skAttr;
    if ('beginsWith' in query.sortKey) {
      condition += ' AND begins_with(#sk, :prefix)';
      values[':prefix'] = query.sortKey.beginsWith;
    } else {
      condition += ' AND #sk BETWEEN :from AND :to';
      values[':from'] = query.sortKey.between[0];
      values[':to'] = query.sortKey.between[1];
    }
  }
  const out = await db.client.send(
    new QueryCommand({
      TableName: db.tableName,
      ...(query.index ? { IndexName: query.index } : {}),
      KeyConditionExpression: condition,
      ExpressionAttributeNames: { ...names, ...extra.ExpressionAttributeNames },
      ExpressionAttributeValues: { ...values, ...extra.ExpressionAttributeValues },
      ScanIndexForward: query.forward,
      Limit: query.limit + 1,
      ...(query.cursor ? { ExclusiveStartKey: decodeCursor(query.cursor, query) } : {}),
      ...(extra.ProjectionExpression ? { ProjectionExpression: extra.ProjectionExpression } : {}),
    }),
  );
  const items = out.Items ?? [];
  const page = items.slice(0, query.limit);
  const last = page[page.length - 1];
  const more = items.length > query.limit && last !== undefined;
  const nextCursor = more
    ? encodeCursor(Object.fromEntries(keyAttributes(query.index).map((a) => [a, String(last[a])])))
    : null;
  return { items: page, nextCursor };
}

/** Queries one page of queryPageKeeping may send: the first, and two to replace entries set aside. */
export const KEEPING_QUERIES = 3;

/**
 * A page of a Query whose items may hold several entries of one thing (a member found by two
 * search terms), of which `keep` accepts one: reads limit+1 items, then only as many more as
 * were set aside, until limit+1 are kept or the range ends. After KEEPING_QUERIES Queries it
 * answers what it kept, with a cursor after the last item read, so one page never reads more
 * than about KEEPING_QUERIES × (limit+1) items, and limit+1 when nothing repeats. Otherwise the
 * cursor is the last kept item's key: an entry set aside after it is read (and set aside) again.
 */
export async function queryPageKeeping(
  db: Database,
  query: PageQuery,
  keep: (item: Record<string, unknown>) => boolean,
  extra: Partial<QueryCommandInput> = {},
): Promise<Page<Record<string, unknown>>> {
  const [pkAttr, skAttr] = keyAttributes(query.index) as [string, string];
  const range = query.sortKey && 'beginsWith' in query.sortKey ? query.sortKey.beginsWith : undefined;
  if (query.sortKey && range === undefined) throw new Error('queryPageKeeping serves prefix queries');
  const kept: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined = query.cursor ? decodeCursor(query.cursor, query) : undefined;
  let lastRead: Record<string, unknown> | undefined;
  for (let queries = 0; queries < KEEPING_QUERIES && kept.length <= query.limit; queries++) {
    const out = await db.client.send(
      new QueryCommand({
        TableName: db.tableName,
        ...(query.index ? { IndexName: query.index } : {}),
        KeyConditionExpression: range === undefined ? '#pk = :pk' : '#pk = :pk AND begins_with(#sk, :prefix)',
        ExpressionAttributeNames: { '#pk': pkAttr, ...(range === undefined ? {} : { '#sk': skAttr }) },
        ExpressionAttributeValues: { ':pk': query.partition, ...(range === undefined ? {} : { ':prefix': range }) },
        ScanIndexForward: query.forward,
        Limit: query.limit + 1 - kept.length,
        ...(start ? { ExclusiveStartKey: start } : {}),
        ...(extra.ProjectionExpression ? { ProjectionExpression: extra.ProjectionExpression } : {}),
      }),
    );
    const items = out.Items ?? [];
    kept.push(...items.filter(keep));
    lastRead = items.at(-1) ?? lastRead;
    start = out.LastEvaluatedKey;
    if (!start) break;
  }
  const keyOf = (item: Record<string, unknown>) =>
    encodeCursor(Object.fromEntries(keyAttributes(query.index).map((a) => [a, String(item[a])])));
  if (kept.length > query.limit)
    return { items: kept.slice(0, query.limit), nextCursor: keyOf(kept[query.limit - 1]!) };
  // Everything read was kept or set aside: go on after the last item read, if the range goes on.
  return { items: kept, nextCursor: start && lastRead ? keyOf(lastRead) : null };
}

/**
 * Every item of a table partition (optionally those whose sort key starts with `skPrefix`),
 * read consistently, following LastEvaluatedKey. Only for partitions bounded by design, such
 * as one import's chunks and batch markers; an org-sized list pages with queryPage instead.
 */
export async function queryWholePartition(
  db: Database,
  partition: string,
  skPrefix?: string,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.client.send(
      new QueryCommand({
        TableName: db.tableName,
        KeyConditionExpression: skPrefix ? '#pk = :pk AND begins_with(#sk, :sk)' : '#pk = :pk',
        ExpressionAttributeNames: skPrefix ? { '#pk': PARTITION_KEY, '#sk': SORT_KEY } : { '#pk': PARTITION_KEY },
        ExpressionAttributeValues: { ':pk': partition, ...(skPrefix ? { ':sk': skPrefix } : {}) },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/**
 * The items of a partition whose sort key starts with `skPrefix`, read consistently page by page
 * and handed out one at a time (a count over an org-sized partition never holds it whole),
 * projected to the sort key and `attributes` (each through a name placeholder: `status` is a
 * reserved word). For operator actions that must read everything (a seat recount), never a request path.
 */
export async function* eachPartitionItem(
  db: Database,
  partition: string,
  skPrefix: string,
  attributes: readonly string[],
): AsyncGenerator<Record<string, unknown>> {
  const names = Object.fromEntries(attributes.map((name, i) => [`#a${i}`, name]));
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.client.send(
      new QueryCommand({
        TableName: db.tableName,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        ExpressionAttributeNames: { '#pk': PARTITION_KEY, '#sk': SORT_KEY, ...names },
        ExpressionAttributeValues: { ':pk': partition, ':prefix': skPrefix },
        ProjectionExpression: ['#sk', ...Object.keys(names)].join(', '),
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    yield* out.Items ?? [];
    start = out.LastEvaluatedKey;
  } while (start);
}
