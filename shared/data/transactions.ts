import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ConcurrentModificationError, type DomainError } from '../errors.js';
import type { Database } from './dynamo-client.js';
import { TRANSACTION_ACTION_LIMIT } from './dynamodb-limits.js';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * One step of a transaction, with the domain error its condition stands for. A failed
 * condition on that step turns into that error; every other failure stays what it was.
 */
export interface TransactionStep {
  item: TransactItem;
  /**
   * Thrown when this step's condition fails (default: a concurrent modification). It gets the
   * item as it was, so it can tell which part of a compound condition failed.
   */
  onConditionFailed?: (current: Record<string, unknown> | undefined) => DomainError;
}

/** Attempts for a transaction that only lost a race (TransactionConflict); nothing was written. */
const CONFLICT_ATTEMPTS = 12;

/**
 * Writes all steps atomically and translates a cancellation into the first failed step's
 * error. A cancellation caused only by conflicting concurrent transactions (hot items such as
 * the org's seat counter) wrote nothing, so it is retried with jittered backoff.
 */
export async function transactWrite(db: Database, steps: TransactionStep[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await db.client.send(new TransactWriteCommand({ TransactItems: steps.map(withOldImageOnFailure) }));
      return;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      const failed = reasons.findIndex((r) => r.Code === 'ConditionalCheckFailed');
      if (failed >= 0) {
        const current = reasons[failed]?.Item;
        throw (
          steps[failed]?.onConditionFailed?.(current ? unmarshall(current) : undefined) ??
          new ConcurrentModificationError()
        );
      }
      if (!reasons.some((r) => r.Code === 'TransactionConflict')) throw error;
      if (attempt >= CONFLICT_ATTEMPTS) throw new ConcurrentModificationError();
      await sleep(Math.random() * Math.min(1000, 10 * 2 ** attempt));
    }
  }
}

/** Steps that explain their failure get the failed item back in the cancellation reasons. */
export function withOldImageOnFailure(step: TransactionStep): TransactItem {
  if (!step.onConditionFailed) return step.item;
  const [kind, body] = Object.entries(step.item)[0] as [keyof TransactItem, object];
  return { [kind]: { ...body, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } } as TransactItem;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A condition expression, alone or with the names and values it uses. */
export type Condition =
  string | { expression: string; names?: Record<string, string>; values?: Record<string, unknown> };

/** A Put step for the table. */
export function put(
  db: Database,
  item: Record<string, unknown>,
  condition?: Condition,
  onConditionFailed?: TransactionStep['onConditionFailed'],
): TransactionStep {
  const c = typeof condition === 'string' ? { expression: condition } : condition;
  return {
    item: {
      Put: {
        TableName: db.tableName,
        Item: item,
        ...(c ? { ConditionExpression: c.expression } : {}),
        ...(c?.names ? { ExpressionAttributeNames: c.names } : {}),
        ...(c?.values ? { ExpressionAttributeValues: c.values } : {}),
      },
    },
    ...(onConditionFailed ? { onConditionFailed } : {}),
  };
}

/** An Update step for the table. */
export function update(
  db: Database,
  input: {
    key: Record<string, unknown>;
    updateExpression: string;
    condition?: string;
    names?: Record<string, string>;
    values?: Record<string, unknown>;
  },
  onConditionFailed?: TransactionStep['onConditionFailed'],
): TransactionStep {
  return {
    item: {
      Update: {
        TableName: db.tableName,
        Key: input.key,
        UpdateExpression: input.updateExpression,
        ...(input.condition ? { ConditionExpression: input.condition } : {}),
        ...(input.names ? { ExpressionAttributeNames: input.names } : {}),
        ...(input.values ? { ExpressionAttributeValues: input.values } : {}),
      },
    },
    ...(onConditionFailed ? { onConditionFailed } : {}),
  };
}

/** A ConditionCheck step: the transaction happens only while this item satisfies the condition. */
export function check(
  db: Database,
  input: {
    key: Record<string, unknown>;
    condition: string;
    names?: Record<string, string>;
    values?: Record<string, unknown>;
  },
  onConditionFailed?: TransactionStep['onConditionFailed'],
): TransactionStep {
  return {
    item: {
      ConditionCheck: {
        TableName: db.tableName,
        Key: input.key,
        ConditionExpression: input.condition,
        ...(input.names ? { ExpressionAttributeNames: input.names } : {}),
        ...(input.values ? { ExpressionAttributeValues: input.values } : {}),
      },
    },
    ...(onConditionFailed ? { onConditionFailed } : {}),
  };
}

/** A Delete step for the table. */
export function remove(
  db: Database,
  key: Record<string, unknown>,
  condition?: Condition,
  onConditionFailed?: TransactionStep['onConditionFailed'],
): TransactionStep {
  const c = typeof condition === 'string' ? { expression: condition } : condition;
  return {
    item: {
      Delete: {
        TableName: db.tableName,
        Key: key,
        ...(c ? { ConditionExpression: c.expression } : {}),
        ...(c?.names ? { ExpressionAttributeNames: c.names } : {}),
        ...(c?.values ? { ExpressionAttributeValues: c.values } : {}),
      },
    },
    ...(onConditionFailed ? { onConditionFailed } : {}),
  };
}

/**
 * Packs units of work (each a list of steps that must happen together) into as few
 * transactions as fit, in order, each up to `limit` actions. Identical ConditionChecks of
 * different units (several rows on one team) become one: a transaction may not name an item
 * twice. A unit larger than the limit is an error, not a split.
 */
export function packTransactions<T>(
  units: readonly { unit: T; steps: TransactionStep[] }[],
  limit = TRANSACTION_ACTION_LIMIT,
): { units: T[]; steps: TransactionStep[] }[] {
  const packs: { units: T[]; steps: TransactionStep[]; checks: Set<string> }[] = [];
  for (const { unit, steps } of units) {
    let pack = packs.at(-1);
    const fresh = (p: typeof pack) => steps.filter((s) => !p?.checks.has(checkIdentity(s) ?? ''));
    if (!pack || pack.steps.length + fresh(pack).length > limit) {
      if (steps.length > limit)
        throw new RangeError(`A unit of ${steps.length} steps does not fit one transaction (${limit})`);
      pack = { units: [], steps: [], checks: new Set() };
      packs.push(pack);
    }
    for (const step of fresh(pack)) {
      pack.steps.push(step);
      const identity = checkIdentity(step);
      if (identity) pack.checks.add(identity);
    }
    pack.units.push(unit);
  }
  return packs.map(({ units: packed, steps }) => ({ units: packed, steps }));
}

/** What makes two ConditionChecks the same (table, key, condition and its values); undefined for other steps. */
function checkIdentity(step: TransactionStep): string | undefined {
  const c = step.item.ConditionCheck;
  return c
    ? JSON.stringify([
        c.TableName,
        c.Key,
        c.ConditionExpression,
        c.ExpressionAttributeNames,
        c.ExpressionAttributeValues,
      ])
    : undefined;
}
