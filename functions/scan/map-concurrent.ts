/**
 * Runs `work` over items from an async source with at most `concurrency` in flight,
 * yielding results as they complete. The source is pulled lazily, so a slow listing
 * (Organizations pages) overlaps with the work instead of finishing first.
 */
export async function* mapConcurrent<T, R>(
  source: AsyncIterable<T> | Iterable<T>,
  concurrency: number,
  work: (item: T) => Promise<R>,
): AsyncGenerator<R> {
  if (!(concurrency >= 1)) throw new RangeError(`concurrency must be at least 1, got ${concurrency}`);
  const iterator = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : toAsync(source);
  const inFlight = new Map<number, Promise<{ id: number; result: R }>>();
  let nextId = 0;
  let exhausted = false;

  const fill = async () => {
    while (!exhausted && inFlight.size < concurrency) {
      const next = await iterator.next();
      if (next.done) {
        exhausted = true;
        return;
      }
      const id = nextId++;
      inFlight.set(
        id,
        work(next.value).then((result) => ({ id, result })),
      );
    }
  };

  await fill();
  while (inFlight.size > 0) {
    const { id, result } = await Promise.race(inFlight.values());
    inFlight.delete(id);
    await fill();
    yield result;
  }
}

async function* toAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}
