import { AsyncLocalStorage } from 'node:async_hooks';
import { appendFileSync } from 'node:fs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isLocalIdentityKey, PARTITION_FAMILIES, type PartitionFamily } from '../shared/data/keys.js';
import { PARTITION_KEY, SORT_KEY } from '../shared/data/table-definition.js';
import { tableAccessOf, type TableAccess } from '../shared/data/table-access.js';
import { QUEUE_WORKERS, SCHEDULED_JOBS, STREAM_READERS } from '../shared/async/consumers.js';
import { SIGN_IN_TRIGGERS } from '../shared/identity/sign-in-triggers.js';
import { FALLBACK_ROUTES, ROUTES } from '../infra/routes.js';

/**
 * The local stack's stand-in for the IAM policy infra/ builds from the same declaration (each
 * function's TableGrant: its operation object, consumer entry or trigger entry): while a function's handler runs, every command
 * its DynamoDB client sends must name only partition keys of the function's families, as
 * `ForAllValues:StringLike` on `dynamodb:LeadingKeys` would have it in AWS — the table's partition
 * key of each item a Get/Put/Update/Delete, batch or transaction names, the queried index's
 * partition key of a Query, and no Scan unless the function has the whole table. Outside a
 * function (tests arranging items, the local seed) nothing is checked. The Cognito stand-in's own
 * items are no table access in AWS and pass.
 *
 * Set ROSTER_TABLE_ACCESS_RECORD to a file to record, instead of refuse, what each function touches.
 */
interface Scope {
  readonly fn: string;
  readonly access: TableAccess;
}

const scope = new AsyncLocalStorage<Scope>();
const GUARD = 'localTableAccessGuard';

/** Runs `run` as function `fn` with `access`: the guarded client checks every command it sends. */
export function withTableAccess<T>(fn: string, access: TableAccess, run: () => Promise<T>): Promise<T> {
  return scope.run({ fn, access }, run);
}

/** What AWS answers a request its policy does not allow (a 400 the SDK does not retry; the pipeline's 500). */
export class AccessDeniedException extends Error {
  override readonly name = 'AccessDeniedException';
  readonly $fault = 'client';
  readonly $metadata = { httpStatusCode: 400 };
}

/** Adds the check to the client's middleware stack, once (the document client shares its stack with the raw one). */
export function guardTableAccess(client: DynamoDBDocumentClient): void {
  if (client.middlewareStack.identify().some((entry) => entry.startsWith(GUARD))) return;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const current = scope.getStore();
      if (current) checkCommand(current, context.commandName ?? '', args.input as Input);
      return next(args);
    },
    // Before the document client marshalls (and before any retry): keys are read in either form.
    { step: 'initialize', name: GUARD, priority: 'high' },
  );
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any command's input, read field by field
type Input = Record<string, any>;

function checkCommand(current: Scope, commandName: string, input: Input): void {
  const action = commandName.replace(/Command$/, '');
  const request = leadingKeysOf(action, input);
  const recordFile = process.env.ROSTER_TABLE_ACCESS_RECORD;
  if (recordFile) {
    const families = request.keys === 'scan' ? ['SCAN'] : request.keys.map((pk) => familyOf(pk) ?? `?${pk}`);
    appendFileSync(recordFile, families.map((f) => `${current.fn}\t${request.action}\t${f}\n`).join(''));
    return;
  }
  const refuse = (why: string) => {
    throw new AccessDeniedException(
      `${current.fn} is not authorized to perform dynamodb:${request.action}: ${why} ` +
        '(its operation object, consumer entry or trigger entry declares its partition-key families)',
    );
  };
  if (current.access === 'wholeTable') return;
  if (current.access === 'none') refuse('the function has no table access');
  if (request.keys === 'scan') return refuse('a Scan has no leading keys to narrow it by');
  const allowed = current.access as readonly PartitionFamily[];
  for (const pk of request.keys) {
    if (!allowed.some((family) => stringLike(PARTITION_FAMILIES[family], pk)))
      refuse(`leading key ${pk} is outside ${allowed.join(', ') || 'no family'}`);
  }
}

/** The partition-key family a key belongs to, if any. */
export function familyOf(pk: string): PartitionFamily | undefined {
  return (Object.keys(PARTITION_FAMILIES) as PartitionFamily[]).find((f) => stringLike(PARTITION_FAMILIES[f], pk));
}

/** IAM's StringLike: `*` any run of characters, `?` one, the rest literal and the whole value. */
function stringLike(pattern: string, value: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 's').test(value);
}

/** A key attribute's string, marshalled (`{ S }`) or not. */
function stringOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'S' in value && typeof value.S === 'string') return value.S;
  return undefined;
}

/**
 * The leading keys IAM sees in a request: the item's partition key for single-item actions;
 * each item's for batches and transactions (authorized per item as GetItem, PutItem …); the
 * partition key value the key condition names for a Query (the index's, on an index). Items of
 * the Cognito stand-in are left out.
 */
export function leadingKeysOf(action: string, input: Input): { action: string; keys: string[] | 'scan' } {
  const keys: string[] = [];
  const add = (key: Input | undefined) => {
    const pk = stringOf(key?.[PARTITION_KEY]);
    if (pk === undefined) throw new Error(`${action}: no partition key in the request`);
    if (!isLocalIdentityKey(pk, stringOf(key?.[SORT_KEY]))) keys.push(pk);
  };
  switch (action) {
    case 'GetItem':
    case 'DeleteItem':
    case 'UpdateItem':
      add(input.Key as Input);
      break;
    case 'PutItem':
      add(input.Item as Input);
      break;
    case 'BatchGetItem':
      for (const table of Object.values(input.RequestItems ?? {}) as Input[]) for (const key of table.Keys) add(key);
      break;
    case 'BatchWriteItem':
      for (const writes of Object.values(input.RequestItems ?? {}) as Input[][])
        for (const write of writes) add(write.PutRequest?.Item ?? write.DeleteRequest?.Key);
      break;
    case 'TransactWriteItems':
      for (const item of input.TransactItems as Input[])
        add(item.Put?.Item ?? item.Update?.Key ?? item.Delete?.Key ?? item.ConditionCheck?.Key);
      break;
    case 'TransactGetItems':
      for (const item of input.TransactItems as Input[]) add(item.Get?.Key);
      break;
    case 'Query': {
      const pk = queriedPartition(input);
      if (!pk.startsWith('LOCAL')) keys.push(pk);
      break;
    }
    case 'Scan':
      return { action, keys: 'scan' };
    default:
      throw new Error(`${action}: not an item action a function is granted`);
  }
  return { action, keys };
}

/** The value the key condition gives the partition key of the table or of the queried index. */
function queriedPartition(input: Input): string {
  const attribute = input.IndexName ? `${String(input.IndexName)}PK` : PARTITION_KEY;
  const names = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const values = (input.ExpressionAttributeValues ?? {}) as Record<string, unknown>;
  for (const clause of String(input.KeyConditionExpression ?? '').split(/\s+AND\s+/i)) {
    const match = /^\s*\(?\s*([#\w]+)\s*=\s*(:\w+)\s*\)?\s*$/.exec(clause);
    if (!match) continue;
    const [, name = '', placeholder = ''] = match;
    const value = stringOf(values[placeholder]);
    if ((names[name] ?? name) === attribute && value !== undefined) return value;
  }
  throw new Error(`Query: no ${attribute} = :value in the key condition`);
}

/** Every function with its table grant: the routes (with the pipeline's reads), the consumers, the triggers. */
export const DECLARED_FUNCTIONS = [
  ...ROUTES,
  ...FALLBACK_ROUTES,
  ...Object.values(STREAM_READERS),
  ...Object.values(QUEUE_WORKERS),
  ...Object.values(SCHEDULED_JOBS),
  ...Object.values(SIGN_IN_TRIGGERS),
];

/** Every function's declared access, by handler module. */
const DECLARED_ACCESS = new Map<string, TableAccess>(
  DECLARED_FUNCTIONS.map((fn) => [fn.handler, tableAccessOf(fn.table)]),
);

/** A function's declared access; a module nothing declares (none in AWS: every function is built from a declaration) has none. */
export function tableAccessOfFunction(handler: string): TableAccess {
  return DECLARED_ACCESS.get(handler) ?? 'none';
}
