/**
 * A list emptied by resetting a counter. `array.length = 0` hands the backing store
 * back to the heap, so a scratch array cleared that way per repository name is
 * reallocated as it refills: most of the matcher's garbage, before this.
 */
export class ScratchList<T> {
  private readonly items: T[] = [];
  size = 0;

  push(item: T): void {
    this.items[this.size++] = item;
  }

  at(index: number): T {
    return this.items[index]!;
  }

  clear(): void {
    this.size = 0;
  }
}

/** What `collect` methods append to: a ScratchList on the hot path, a plain array in tests. */
export interface Appendable<T> {
  push(item: T): void;
}
