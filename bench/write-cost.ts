import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * What an import costs DynamoDB, counted on the worker's client: every request put on the wire
 * (by command, with its time here), the items it writes and the write capacity units they cost
 * in AWS, from the item sizes by DynamoDB's billing rules: 1 WCU per started KB for a standard
 * write, 2 in a transaction (its ConditionChecks included). Only the request is seen, so an
 * update is priced at its key and new values' size (DynamoDB bills the larger of the item before
 * and after; the items an import updates, its job, the org and a batch marker, stay small) and a
 * delete at 1.
 */
export interface WriteCost {
  requests: Record<string, { count: number; totalMs: number; actions: number }>;
  /** Items written: Put, Update and Delete actions, in transactions or not. */
  itemsWritten: number;
  conditionChecks: number;
  writeUnits: number;
}

/** The low-level commands that write (and so consume write units). */
export const WRITE_COMMANDS: ReadonlySet<string> = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
]);

type Marshalled = Record<string, AttributeValue>;

/** DynamoDB's item size: attribute names plus values (numbers about half their digits, containers 3 bytes plus 1 per element). */
export function itemSize(item: Marshalled): number {
  return Object.entries(item).reduce((n, [name, value]) => n + Buffer.byteLength(name) + valueSize(value), 0);
}

function valueSize(v: AttributeValue): number {
  if (v.S !== undefined) return Buffer.byteLength(v.S);
  if (v.N !== undefined) return Math.ceil(v.N.replace(/^-|\.|e.*$/gi, '').length / 2) + 1;
  if (v.B !== undefined) return v.B.length;
  if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
  if (v.L !== undefined) return 3 + v.L.reduce((n, e) => n + 1 + valueSize(e), 0);
  if (v.M !== undefined)
    return 3 + Object.entries(v.M).reduce((n, [k, e]) => n + 1 + Buffer.byteLength(k) + valueSize(e), 0);
  if (v.SS !== undefined) return v.SS.reduce((n, s) => n + Buffer.byteLength(s), 0);
  if (v.NS !== undefined) return v.NS.reduce((n, s) => n + s.length, 0);
  return 0;
}

const units = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));
const valuesSize = (values: Marshalled | undefined) =>
  Object.values(values ?? {}).reduce((n, v) => n + valueSize(v), 0);

interface Estimate {
  items: number;
  checks: number;
  wcu: number;
  actions: number;
}

/** Items, checks and estimated WCUs of one write request's (marshalled) input. */
function estimate(command: string, input: Record<string, unknown>): Estimate {
  const keyed = (key: Marshalled | undefined, extra = 0) => itemSize(key ?? {}) + extra;
  if (command === 'PutItemCommand')
    return { items: 1, checks: 0, wcu: units(itemSize(input.Item as Marshalled)), actions: 1 };
  if (command === 'UpdateItemCommand')
    return {
      items: 1,
      checks: 0,
      wcu: units(keyed(input.Key as Marshalled, valuesSize(input.ExpressionAttributeValues as Marshalled))),
      actions: 1,
    };
  if (command === 'DeleteItemCommand') return { items: 1, checks: 0, wcu: 1, actions: 1 };
  if (command === 'BatchWriteItemCommand') {
    const requests = Object.values(
      input.RequestItems as Record<string, { PutRequest?: { Item: Marshalled } }[]>,
    ).flat();
    return {
      items: requests.length,
      checks: 0,
      wcu: requests.reduce((n, r) => n + (r.PutRequest ? units(itemSize(r.PutRequest.Item)) : 1), 0),
      actions: requests.length,
    };
  }
  const actions =
    (input.TransactItems as Record<
      string,
      { Item?: Marshalled; Key?: Marshalled; ExpressionAttributeValues?: Marshalled }
    >[]) ?? [];
  let items = 0;
  let checks = 0;
  let wcu = 0;
  for (const action of actions) {
    const [kind, body] = Object.entries(action)[0] ?? [];
    if (!kind || !body) continue;
    if (kind === 'ConditionCheck') checks++;
    else items++;
    const size =
      kind === 'Put'
        ? itemSize(body.Item ?? {})
        : kind === 'Update'
          ? keyed(body.Key, valuesSize(body.ExpressionAttributeValues))
          : keyed(body.Key);
    wcu += 2 * units(size);
  }
  return { items, checks, wcu, actions: actions.length };
}

/** The serialized body: a string, or bytes (the SDK's JSON codec hands over a Uint8Array). */
const bodyText = (body: unknown): string =>
  typeof body === 'string' ? body : body instanceof Uint8Array ? new TextDecoder().decode(body) : '{}';

/**
 * Installs the counting middleware on the client; `cost()` answers what was counted so far.
 * It sits in the `build` step, after serialization, and reads the request body: the marshalled
 * input exactly as DynamoDB receives it. A retried request is counted once (retries come later).
 */
export function countWriteCost(client: DynamoDBDocumentClient): { cost(): WriteCost } {
  const cost: WriteCost = { requests: {}, itemsWritten: 0, conditionChecks: 0, writeUnits: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? 'unknown';
      const est = WRITE_COMMANDS.has(command)
        ? estimate(command, JSON.parse(bodyText((args.request as { body?: unknown }).body)) as Record<string, unknown>)
        : undefined;
      const entry = (cost.requests[command] ??= { count: 0, totalMs: 0, actions: 0 });
      const started = performance.now();
      try {
        const result = await next(args);
        // Only what succeeded wrote anything.
        if (est) {
          cost.itemsWritten += est.items;
          cost.conditionChecks += est.checks;
          cost.writeUnits += est.wcu;
        }
        return result;
      } finally {
        // A refused or failed request is a round trip too.
        entry.count++;
        entry.actions += est?.actions ?? 0;
        entry.totalMs += performance.now() - started;
      }
    },
    { step: 'build', priority: 'low', name: 'benchWriteCost' },
  );
  return { cost: () => ({ ...cost, requests: structuredClone(cost.requests) }) };
}
