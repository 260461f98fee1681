/**
 * The one DynamoDB table, defined once: the CDK data stack and the local/test bootstrap both
 * read this, so the keys the code writes always exist where it runs.
 */
export const PARTITION_KEY = 'PK';
export const SORT_KEY = 'SK';
/** Epoch seconds; DynamoDB's TTL deletes the item some time after (outbox, replay ids, tokens). */
export const TTL_ATTRIBUTE = 'ttl';

/**
 * Generic, overloaded global secondary indexes. Each entity decides what its GSIn keys mean
 * (see the access-pattern table in keys.ts); an item without an index's key is not in it
 * (sparse), so each index holds only the items some query needs.
 */
export const INDEX_NAMES = ['GSI1', 'GSI2', 'GSI3', 'GSI4', 'GSI5', 'GSI6', 'GSI7', 'GSI8', 'GSI9'] as const;
export type IndexName = (typeof INDEX_NAMES)[number];

export function indexKeyAttributes(index: IndexName): { partitionKey: string; sortKey: string } {
  return { partitionKey: `${index}PK`, sortKey: `${index}SK` };
}

export interface TableDefinition {
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly ttlAttribute: string;
  readonly indexes: readonly { name: IndexName; partitionKey: string; sortKey: string }[];
}

export const TABLE_DEFINITION: TableDefinition = {
  partitionKey: PARTITION_KEY,
  sortKey: SORT_KEY,
  ttlAttribute: TTL_ATTRIBUTE,
  indexes: INDEX_NAMES.map((name) => ({ name, ...indexKeyAttributes(name) })),
};
