/**
 * Spaces calls evenly so a burst of targets never exceeds a rate (STS allows 600
 * AssumeRole requests per second per account; we stay below it). Each caller
 * reserves the next free slot, so waiting callers are served in order.
 */
export class RatePacer {
  readonly #intervalMs: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  #nextSlot = 0;

  constructor(
    ratePerSecond: number,
    clock: { now?: () => number; sleep?: (ms: number) => Promise<void> } = {},
  ) {
    if (!(ratePerSecond > 0)) throw new RangeError(`rate must be positive, got ${ratePerSecond}`);
    this.#intervalMs = 1000 / ratePerSecond;
    this.#now = clock.now ?? Date.now;
    this.#sleep = clock.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Resolves when the caller may make its call. */
  async take(): Promise<void> {
    const now = this.#now();
    const slot = Math.max(now, this.#nextSlot);
    this.#nextSlot = slot + this.#intervalMs;
    if (slot > now) await this.#sleep(slot - now);
  }
}
