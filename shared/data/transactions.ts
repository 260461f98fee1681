import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { ConcurrentModificationError, type DomainError } from '../errors.js';
import type { Database } from './dynamo-client.js';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * One step of a transaction, with the domain error its condition stands for. A failed
 * condition on that step turns into that error; every other failure stays what it was.
 */
export interface TransactionStep {
  item: TransactItem;
  /** Thrown when this step's condition fails (default: a concurrent modification). */
  onConditionFailed?: () => DomainError;
}

/** Writes all steps atomically and translates a cancellation into the first failed step's error. */
export async function transactWrite(db: Database, steps: TransactionStep[], clientRequestToken?: string): Promise<void> {
  try {
    await db.client.send(
      new TransactWriteCommand({
        TransactItems: steps.map((s) => s.item),
        ...(clientRequestToken ? { ClientRequestToken: clientRequestToken } : {}),
      }),
    );
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const reasons = error.CancellationReasons ?? [];
    const failed = reasons.findIndex((r) => r.Code === 'ConditionalCheckFailed');
    if (failed >= 0) throw steps[failed]?.onConditionFailed?.() ?? new ConcurrentModificationError();
    // TransactionConflict: another transaction touched one of these items at the same moment.
    if (reasons.some((r) => r.Code === 'TransactionConflict')) throw new ConcurrentModificationError();
    throw error;
  }
}

/** A Put step for the table. */
export function put(db: Database, item: Record<string, unknown>, condition?: string, onConditionFailed?: () => DomainError): TransactionStep {
  return {
    item: { Put: { TableName: db.tableName, Item: item, ...(condition ? { ConditionExpression: condition } : {}) } },
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
  onConditionFailed?: () => DomainError,
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
  input: { key: Record<string, unknown>; condition: string; names?: Record<string, string>; values?: Record<string, unknown> },
  onConditionFailed?: () => DomainError,
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
export function remove(db: Database, key: Record<string, unknown>, condition?: string, onConditionFailed?: () => DomainError): TransactionStep {
  return {
    item: { Delete: { TableName: db.tableName, Key: key, ...(condition ? { ConditionExpression: condition } : {}) } },
    ...(onConditionFailed ? { onConditionFailed } : {}),
  };
}
