import { describe, expect, it } from 'vitest';
import { RatePacer } from '../../../functions/concurrency/rate-pacer.js';

describe('RatePacer', () => {
  it('spaces a burst of callers one interval apart, in order', async () => {
    let now = 1_000;
    const waits: number[] = [];
    const pacer = new RatePacer(100, {
      now: () => now,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    await Promise.all([pacer.take(), pacer.take(), pacer.take(), pacer.take()]);
    expect(waits).toEqual([10, 20, 30]);
    now += 1_000;
    await pacer.take();
    expect(waits).toHaveLength(3);
  });

  it('rejects a rate that is not positive', () => {
    expect(() => new RatePacer(0)).toThrowError(RangeError);
  });
});
