import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Database } from './dynamo-client.js';
import { withOldImageOnFailure, type TransactionStep } from './transactions.js';

/**
 * Writes one step (a Put, Update or Delete built by `put`, `update` or `remove`) on its own, as a
 * single conditional write: the same builders and the same failure translation as a transaction.
 * Resolves true when written. When the condition fails, the step's `onConditionFailed` error is
 * thrown (it gets the item as it was); a step without one resolves false, for writes whose failed
 * condition is an ordinary answer (already done, superseded, gone) rather than an error.
 */
export async function writeStep(db: Database, step: TransactionStep): Promise<boolean> {
  return (await send(db, step, false)) !== undefined;
}

/** `writeStep` for an Update step that returns the item as written; undefined when its condition failed. */
export function updateReturningNew(db: Database, step: TransactionStep): Promise<Record<string, unknown> | undefined> {
  if (!step.item.Update) throw new TypeError('updateReturningNew takes an Update step');
  return send(db, step, true);
}

async function send(
  db: Database,
  step: TransactionStep,
  returnNew: boolean,
): Promise<Record<string, unknown> | undefined> {
  const item = withOldImageOnFailure(step);
  try {
    if (item.Put) await db.client.send(new PutCommand(item.Put));
    else if (item.Delete) await db.client.send(new DeleteCommand(item.Delete));
    else if (item.Update) {
      const out = await db.client.send(
        new UpdateCommand({ ...item.Update, ...(returnNew ? { ReturnValues: 'ALL_NEW' } : {}) }),
      );
      return out.Attributes ?? {};
    } else throw new TypeError('A ConditionCheck step writes nothing on its own');
    return {};
  } catch (error) {
    if (!isConditionFailed(error)) throw error;
    if (!step.onConditionFailed) return undefined;
    throw step.onConditionFailed(error.Item ? unmarshall(error.Item) : undefined);
  }
}

/** Whether a single write failed its condition (as opposed to any other failure). */
function isConditionFailed(error: unknown): error is ConditionalCheckFailedException {
  return error instanceof ConditionalCheckFailedException;
}
