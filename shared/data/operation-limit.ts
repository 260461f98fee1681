import { TooManyRequestsError } from '../errors.js';
import type { OperationLimit } from '../operation.js';
import type { Database } from './dynamo-client.js';
import { takeRateLimitOrRetryAfter } from './rate-limit.js';

/**
 * Spends one request of an operation's fair-use budget (its `limit`) for `subject`, an org id
 * or a client IP, or refuses with 429 and the seconds until the window ends. One conditional
 * UpdateItem on the bucket's counter item; the pipeline calls it, never a use case (the bench
 * counts it apart from the operation's own round trips by this file).
 */
export async function spendOperationLimit(
  db: Database,
  limit: OperationLimit,
  subject: string,
  now: Date,
): Promise<void> {
  const rule = { scope: `${limit.scope}-${limit.bucket}`, limit: limit.limit, windowSeconds: limit.windowSeconds };
  const retryAfterSeconds = await takeRateLimitOrRetryAfter(db, rule, subject, now);
  if (retryAfterSeconds > 0)
    throw new TooManyRequestsError(
      limit.scope === 'org'
        ? `Your organization sent more than ${limit.limit} of these requests in ${limit.windowSeconds} s; retry later`
        : `More than ${limit.limit} of these requests in ${limit.windowSeconds} s from your address; retry later`,
      'rate_limited',
      retryAfterSeconds,
    );
}
