/**
 * Bounded concurrency for the scan: `mapConcurrent` streams over a (possibly slow,
 * asynchronous) source, `mapBounded` maps an array in order.
 */

export interface MapConcurrentOptions {
  /**
   * Items read from the source ahead of a free slot (default: `concurrency`), so a
   * listing that pages (Organizations) keeps ahead of the work instead of stalling it.
   */
  lookahead?: number;
}

type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

/**
 * Runs `work` over items from `source` with at most `concurrency` in flight, yielding
 * results as they complete. The source is read while work runs, never more than
 * `lookahead` items ahead. If the source or a piece of work fails, nothing new starts;
 * the results of work in flight are still yielded, then the generator throws the failure.
 * A consumer that stops early closes the source (work in flight finishes unobserved).
 */
export async function* mapConcurrent<T, R>(
  source: AsyncIterable<T> | Iterable<T>,
  concurrency: number,
  work: (item: T) => Promise<R>,
  options: MapConcurrentOptions = {},
): AsyncGenerator<R> {
  if (!(concurrency >= 1)) throw new RangeError(`concurrency must be at least 1, got ${concurrency}`);
  const lookahead = Math.max(1, options.lookahead ?? concurrency);
  const iterator = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : toAsync(source);
  const waiting: T[] = [];
  const finished: R[] = [];
  let running = 0;
  let reading = false;
  let exhausted = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const changed = () => {
    const resume = wake;
    wake = undefined;
    resume?.();
  };

  const settle = (outcome: Settled<R>) => {
    running--;
    if (outcome.ok) finished.push(outcome.value);
    else failure ??= { error: outcome.error };
    changed();
  };
  const startWork = () => {
    while (!failure && running < concurrency && waiting.length > 0) {
      running++;
      work(waiting.shift()!).then(
        (value) => settle({ ok: true, value }),
        (error: unknown) => settle({ ok: false, error }),
      );
    }
  };
  const readAhead = () => {
    if (reading || exhausted || failure || waiting.length >= lookahead) return;
    reading = true;
    iterator.next().then(
      (next) => {
        reading = false;
        if (next.done) exhausted = true;
        else waiting.push(next.value);
        changed();
      },
      (error: unknown) => {
        reading = false;
        exhausted = true;
        failure ??= { error };
        changed();
      },
    );
  };

  try {
    for (;;) {
      startWork();
      readAhead();
      if (finished.length > 0) {
        yield finished.shift()!;
        continue;
      }
      const idle = running === 0 && !reading;
      if (idle && (failure || (exhausted && waiting.length === 0))) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    if (failure) throw failure.error;
  } finally {
    if (!exhausted) await iterator.return?.();
  }
}

async function* toAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}

/**
 * Maps `items` with at most `width` calls of `work` at once and returns the results in
 * the items' order. After a failure no new call starts; the first failure is thrown.
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  width: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        results[i] = await work(items[i]!, i);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, width), items.length) }, worker));
  return results;
}
