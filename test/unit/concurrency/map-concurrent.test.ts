import { describe, expect, it } from 'vitest';
import { mapBounded, mapConcurrent } from '../../../functions/concurrency/map-concurrent.js';

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

describe('mapConcurrent with a source that pages', () => {
  it('yields finished work while the source is still waiting for its next item', async () => {
    const events: string[] = [];
    async function* pagedSource() {
      yield 1;
      await delay(40);
      events.push('second page');
      yield 2;
    }
    for await (const r of mapConcurrent(pagedSource(), 4, async (n) => n * 10)) events.push(`result ${r}`);
    expect(events).toEqual(['result 10', 'second page', 'result 20']);
  });

  it('reads the source no further ahead than the lookahead while every slot is busy', async () => {
    let read = 0;
    function* counted() {
      for (let i = 0; i < 100; i++) {
        read++;
        yield i;
      }
    }
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const run = mapConcurrent(
      counted(),
      2,
      async (n) => {
        await gate;
        return n;
      },
      { lookahead: 3 },
    );
    const first = run.next();
    await delay(20);
    expect(read).toBe(2 + 3);
    release();
    await first;
    await run.return(undefined);
  });

  it('yields the work in flight, then throws, when the source fails', async () => {
    async function* failing() {
      yield 1;
      yield 2;
      throw new Error('listing failed');
    }
    const results: number[] = [];
    await expect(
      (async () => {
        for await (const r of mapConcurrent(failing(), 4, async (n) => {
          await delay(10);
          return n;
        }))
          results.push(r);
      })(),
    ).rejects.toThrow('listing failed');
    expect(results.sort()).toEqual([1, 2]);
  });

  it('closes the source when the consumer stops early', async () => {
    let closed = false;
    async function* endless() {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        closed = true;
      }
    }
    for await (const r of mapConcurrent(endless(), 2, async (n) => n)) {
      if (r >= 3) break;
    }
    expect(closed).toBe(true);
  });
});

describe('mapBounded', () => {
  it('keeps the order of the items and never runs more than the width at once', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapBounded([30, 10, 20, 5, 15], 2, async (ms, i) => {
      running++;
      peak = Math.max(peak, running);
      await delay(ms);
      running--;
      return i;
    });
    expect(out).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
  });

  it('starts nothing new after a failure and throws it', async () => {
    const started: number[] = [];
    await expect(
      mapBounded([1, 2, 3, 4, 5, 6], 2, async (n) => {
        started.push(n);
        await delay(5);
        if (n === 2) throw new Error('two failed');
        return n;
      }),
    ).rejects.toThrow('two failed');
    await delay(30);
    expect(started.length).toBeLessThan(6);
  });
});
