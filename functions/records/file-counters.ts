/**
 * Counters between processes, for the file store: one JSON file per counter, read and
 * replaced only while holding the counter's own lease (see FileLeases), so two processes
 * taking at once never both see the last free unit. The lease is held for one read and one
 * write; a process killed while holding it frees it at once (its pid is gone).
 *
 * Layout: <directory>/<name>.json, and <directory>/locks/<name>/ for the lock.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DriftStoreError } from './drift-store-error.js';
import { FileLeases } from './file-leases.js';
import { fileNamePart, readJson, writeJson } from './json-files.js';

interface CounterFile {
  taken: number;
  /** Epoch seconds, as for run records: the file is removed after it. */
  expiresAt: number;
}

/** Longer than one read and one write of a small file, even on a busy machine. */
const COUNTER_LOCK_TTL_MS = 10_000;
const LOCK_RETRY_MS = 5;
/** Past it the lock is given up on: something holds it far longer than one read and write. */
const LOCK_WAIT_MS = 30_000;

export class FileCounters {
  readonly #directory: string;
  readonly #leases: FileLeases;

  constructor(directory: string) {
    this.#directory = directory;
    this.#leases = new FileLeases(join(directory, 'locks'));
  }

  take(name: string, limit: number, expiresAt: number): Promise<number | null> {
    return this.#update(name, (counter) =>
      counter.taken >= limit ? null : { taken: counter.taken + 1, expiresAt },
    );
  }

  async giveBack(name: string): Promise<void> {
    await this.#update(name, (counter) =>
      counter.taken <= 0 ? null : { taken: counter.taken - 1, expiresAt: counter.expiresAt },
    );
  }

  /** The directory counters are kept in, for the store's removal of expired records. */
  get directory(): string {
    return this.#directory;
  }

  /** Applies `change` under the counter's lock; the new count, or null when `change` left it as it was. */
  async #update(name: string, change: (counter: CounterFile) => CounterFile | null): Promise<number | null> {
    const lock = fileNamePart(name);
    const owner = `${process.pid}:${randomUUID()}`;
    const giveUpAt = performance.now() + LOCK_WAIT_MS;
    while (!(await this.#leases.acquire(lock, owner, COUNTER_LOCK_TTL_MS, Date.now()))) {
      if (performance.now() > giveUpAt) {
        throw new DriftStoreError(`counter ${name} stayed locked for ${LOCK_WAIT_MS / 1000} s`);
      }
      await sleep(LOCK_RETRY_MS);
    }
    try {
      const path = join(this.#directory, `${fileNamePart(name)}.json`);
      const next = change((await readJson<CounterFile>(path)) ?? { taken: 0, expiresAt: 0 });
      if (next === null) return null;
      await writeJson(path, next);
      return next.taken;
    } finally {
      await this.#leases.release(lock, owner);
    }
  }
}
