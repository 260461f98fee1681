import { describe, expect, it } from 'vitest';
import { fairSlots, inBatches, mapBounded, pacer } from '../../shared/concurrency.js';

/** A clock whose sleeps advance it: what each caller waited for is recorded, no real time passes. */
function fakeClock(start = 1_000) {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: (ms: number) => {
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
    advance: (ms: number) => (now += ms),
  };
}

describe('pacer', () => {
  it('lets the first call through at once, then spaces calls 1/perSecond apart', async () => {
    const clock = fakeClock();
    const pace = pacer(4, clock);
    const started: number[] = [];
    for (let i = 0; i < 5; i++) {
      await pace();
      started.push(clock.now());
    }
    expect(started).toEqual([1000, 1250, 1500, 1750, 2000]);
  });

  it('hands concurrent callers successive slots', async () => {
    const clock = {
      now: () => 0,
      sleeps: [] as number[],
      sleep(ms: number) {
        this.sleeps.push(ms);
        return Promise.resolve();
      },
    };
    const pace = pacer(10, clock);
    await Promise.all(Array.from({ length: 4 }, () => pace()));
    expect(clock.sleeps).toEqual([100, 200, 300]);
  });

  it('does not bank unused time: after a pause the next call waits for nobody', async () => {
    const clock = fakeClock();
    const pace = pacer(2, clock);
    await pace();
    clock.advance(10_000);
    await pace();
    await pace();
    expect(clock.sleeps).toEqual([500]);
  });

  it('refuses a pace that is not positive', () => {
    expect(() => pacer(0)).toThrow(RangeError);
  });
});

describe('mapBounded and inBatches', () => {
  it('keeps at most `limit` calls in flight and answers in input order', async () => {
    let inFlight = 0;
    let most = 0;
    const out = await mapBounded([5, 1, 4, 2, 3], 2, async (n) => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, n));
      inFlight--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });

  it('cuts a list into consecutive slices', () => {
    expect(inBatches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });
});

describe('fairSlots', () => {
  it('holds at most `limit` at a time and hands freed slots out in arrival order', async () => {
    const slots = fairSlots(2);
    const first = await slots.acquire();
    const second = await slots.acquire();
    const order: number[] = [];
    const waiters = [3, 4, 5].map((n) => slots.acquire().then((release) => (order.push(n), release)));
    await Promise.resolve();
    expect(order).toEqual([]);
    first();
    const third = await waiters[0]!;
    expect(order).toEqual([3]);
    second();
    third();
    (await waiters[1]!)();
    (await waiters[2]!)();
    expect(order).toEqual([3, 4, 5]);
  });

  it('counts a release once, however often it is called', async () => {
    const slots = fairSlots(1);
    const release = await slots.acquire();
    release();
    release();
    const again = await slots.acquire();
    let thirdHolder = false;
    void slots.acquire().then(() => (thirdHolder = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(thirdHolder).toBe(false);
    again();
  });

  it('refuses a limit below one', () => {
    expect(() => fairSlots(0)).toThrow(RangeError);
  });
});
