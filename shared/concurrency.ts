/** `items` cut into consecutive slices of at most `size`. */
export function inBatches<T>(items: readonly T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  return batches;
}

/** `fn` over every item with at most `limit` calls in flight; results in input order. The first failure rejects. */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * A pace of at most `perSecond` starts: each call waits for the next free slot (slots 1/perSecond
 * apart, first one now). For a provider quota counted per second, such as Cognito's user
 * creation; one pacer per caller, so the quota a caller may use is what it is given.
 */
export function pacer(
  perSecond: number,
  clock: { now(): number; sleep(ms: number): Promise<void> } = realClock,
): () => Promise<void> {
  if (!(perSecond > 0)) throw new RangeError('perSecond must be positive');
  const interval = 1000 / perSecond;
  let nextSlot = Number.NEGATIVE_INFINITY;
  return async () => {
    const now = clock.now();
    const slot = Math.max(now, nextSlot);
    nextSlot = slot + interval;
    if (slot > now) await clock.sleep(slot - now);
  };
}

const realClock = {
  now: () => Date.now(),
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

/**
 * At most `limit` holders at a time, served first come first served: `acquire` resolves with a
 * release function once a slot is free. For callers that cannot be restructured into
 * `mapBounded`, such as every request a shared client sends.
 */
export function fairSlots(limit: number): { acquire(): Promise<() => void> } {
  if (!(limit >= 1)) throw new RangeError('limit must be at least 1');
  let inUse = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    const nextHolder = waiting.shift();
    if (nextHolder) nextHolder();
    else inUse--;
  };
  return {
    async acquire() {
      if (inUse < limit) inUse++;
      else await new Promise<void>((resolve) => waiting.push(resolve));
      let released = false;
      return () => {
        if (released) return;
        released = true;
        release();
      };
    },
  };
}
