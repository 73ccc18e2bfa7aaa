/**
 * A lease held for as long as some work takes. Its TTL is short, so the lease of a run that
 * crashed lapses soon after its last renewal; while the holder lives, a heartbeat renews it
 * every third of the TTL, so a long piece of work keeps it. Work that another run must never
 * repeat (publishing an alert) calls `confirm` first: it renews the lease and says whether
 * this holder still has it.
 */
import { randomUUID } from 'node:crypto';
import type { DriftStore } from './drift-store.js';

const HOLDER = /^(.*)#[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A lease owner for one holder in a run: unique, so that two workers of one scale-out run
 * (same run id, a message delivered twice) exclude each other as two runs do.
 */
export function leaseHolderOf(runId: string): string {
  return `${runId}#${randomUUID()}`;
}

/** The run a lease owner belongs to (an owner not made by leaseHolderOf is taken as a run id). */
export function runIdOfLeaseHolder(owner: string): string {
  return HOLDER.exec(owner)?.[1] ?? owner;
}

export interface HeldLeaseOptions {
  store: DriftStore;
  name: string;
  owner: string;
  ttlMs: number;
  /** The clock lease times are read from (the run's clock). */
  clock: () => Date;
  /** Told when a heartbeat renewal fails (the next one tries again). */
  onRenewalError?: (error: unknown) => void;
}

export class HeldLease {
  readonly #options: HeldLeaseOptions;
  readonly #timer: NodeJS.Timeout;
  /** Renewals one after another, never two at once. */
  #renewing: Promise<unknown> = Promise.resolve();
  #lost = false;
  #released = false;

  private constructor(options: HeldLeaseOptions) {
    this.#options = options;
    this.#timer = setInterval(() => void this.#heartbeat(), Math.max(1, Math.floor(options.ttlMs / 3)));
    // A heartbeat never keeps a finished process alive.
    this.#timer.unref();
  }

  /** Takes the lease and starts its heartbeat; null when another holder has it. */
  static async take(options: HeldLeaseOptions): Promise<HeldLease | null> {
    const { store, name, owner, ttlMs, clock } = options;
    if (!(await store.acquireLease(name, owner, ttlMs, clock()))) return null;
    return new HeldLease(options);
  }

  get name(): string {
    return this.#options.name;
  }

  /** True once a renewal found another holder: what the lease fences must stop. */
  get lost(): boolean {
    return this.#lost;
  }

  /** Renews the lease now; false when this holder no longer has it. Store errors are thrown. */
  async confirm(): Promise<boolean> {
    if (this.#lost) return false;
    await this.#renew();
    return !this.#lost;
  }

  /** Stops the heartbeat and frees the lease (when this holder still has it). */
  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    clearInterval(this.#timer);
    await this.#renewing.catch(() => undefined);
    if (!this.#lost) await this.#options.store.releaseLease(this.#options.name, this.#options.owner);
  }

  async #heartbeat(): Promise<void> {
    try {
      await this.#renew();
    } catch (error) {
      this.#options.onRenewalError?.(error);
    }
  }

  #renew(): Promise<void> {
    const { store, name, owner, ttlMs, clock } = this.#options;
    const next = this.#renewing
      .catch(() => undefined)
      .then(async () => {
        if (this.#lost || this.#released) return;
        if (!(await store.renewLease(name, owner, ttlMs, clock()))) {
          this.#lost = true;
          clearInterval(this.#timer);
        }
      });
    this.#renewing = next;
    return next;
  }
}
