import { sha256 } from '../ids.js';
import { writeStep } from './conditional-write.js';
import type { Database } from './dynamo-client.js';
import { rateCounterKey } from './keys.js';
import { TTL_ATTRIBUTE } from './table-definition.js';
import type { TransactionStep } from './transactions.js';
import type { DomainError } from '../errors.js';

/** "At most `limit` per `windowSeconds` for one key": the key is `scope` plus a subject (an address, an IP, an account). */
export interface RateLimit {
  scope: string;
  limit: number;
  windowSeconds: number;
}

export const RATE_COUNTER_ENTITY = 'rateCounter';

/**
 * Counts one hit against `subject` in the current fixed window and says whether it is within
 * the limit. One conditional UpdateItem, so concurrent hits never pass the limit together; the
 * counter expires by TTL after its window. The subject is stored hashed: a counter of reset
 * requests should not become a list of addresses or IPs.
 */
export async function takeRateLimit(db: Database, rule: RateLimit, subject: string, now: Date): Promise<boolean> {
  const { update } = counterHit(rule, subject, now);
  // False: past the limit (the condition failed, nothing counted).
  return writeStep(db, { item: { Update: { TableName: db.tableName, ...update } } });
}

/**
 * takeRateLimit that also says, when refused, the seconds until the window ends (Retry-After):
 * 0 when the hit counted.
 */
export async function takeRateLimitOrRetryAfter(
  db: Database,
  rule: RateLimit,
  subject: string,
  now: Date,
): Promise<number> {
  const { update, retryAfterSeconds } = counterHit(rule, subject, now);
  const within = await writeStep(db, { item: { Update: { TableName: db.tableName, ...update } } });
  return within ? 0 : retryAfterSeconds;
}

/** The conditional counter update of one hit, and the seconds until its window ends. */
function counterHit(rule: RateLimit, subject: string, now: Date) {
  const windowMs = rule.windowSeconds * 1000;
  const windowStart = Math.floor(now.getTime() / windowMs) * windowMs;
  return {
    retryAfterSeconds: Math.max(1, Math.ceil((windowStart + windowMs - now.getTime()) / 1000)),
    update: {
      Key: rateCounterKey(rule.scope, sha256(subject), windowStart),
      UpdateExpression: 'SET hits = if_not_exists(hits, :zero) + :one, entity = :entity, #ttl = :ttl',
      ConditionExpression: 'attribute_not_exists(hits) OR hits < :limit',
      ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
      ExpressionAttributeValues: {
        ':zero': 0,
        ':one': 1,
        ':limit': rule.limit,
        ':entity': RATE_COUNTER_ENTITY,
        ':ttl': Math.floor((windowStart + windowMs) / 1000) + 3600,
      },
    },
  };
}

/**
 * takeRateLimit as a step of the limited change's own transaction: the hit counts only if the
 * change commits, and past the limit the change writes nothing (`exceeded` gets the seconds
 * until the window ends, for Retry-After).
 */
export function rateLimitStep(
  db: Database,
  rule: RateLimit,
  subject: string,
  now: Date,
  exceeded: (retryAfterSeconds: number) => DomainError,
): TransactionStep {
  const { update, retryAfterSeconds } = counterHit(rule, subject, now);
  return {
    item: { Update: { TableName: db.tableName, ...update } },
    onConditionFailed: () => exceeded(retryAfterSeconds),
  };
}
