import { describe, expect, it } from 'vitest';
import { mapConcurrent } from '../../../functions/scan/map-concurrent.js';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('mapConcurrent', () => {
  it('never runs more than the limit at once and yields every result', async () => {
    let running = 0;
    let peak = 0;
    const results: number[] = [];
    for await (const r of mapConcurrent([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await delay(5 + (n % 3) * 3);
      running--;
      return n * 2;
    })) {
      results.push(r);
    }
    expect(peak).toBe(3);
    expect(results.sort((a, b) => a - b)).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18, 20]);
  });

  it('starts work before a slow source has produced every item', async () => {
    const started: string[] = [];
    async function* slowSource() {
      yield 'a';
      await delay(30);
      started.push('source-resumed');
      yield 'b';
    }
    for await (const _ of mapConcurrent(slowSource(), 4, async (item) => {
      started.push(item);
    })) {
      // drain
    }
    expect(started).toEqual(['a', 'source-resumed', 'b']);
  });
});
