/**
 * Leases between processes on one machine, without a lock that a crash could leave behind.
 * A lease is a directory of numbered generation files; the highest number is the current
 * holder. Taking or releasing the lease creates the next generation with an exclusive
 * create, which exactly one contender can win; a contender that lost re-reads and decides again.
 * A lease names its holder's pid and host, so one left by a process that died on this
 * machine is taken at once instead of after its time.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DriftStoreError } from './drift-store-error.js';
import { createJson, listJsonFiles, readJson, removeFile } from './json-files.js';

interface LeaseGeneration {
  /** null: released. */
  owner: string | null;
  expiresAtMs: number;
  /** When `owner` took the lease; renewals keep it (absent in leases written before it was kept). */
  acquiredAtMs?: number;
  /** The holder's process and machine: a holder that died on this machine frees the lease at once. */
  pid?: number;
  host?: string;
}

/** True when the holder ran on this machine and its process is gone (a crash, kill -9). */
function holderIsDead(lease: LeaseGeneration): boolean {
  if (lease.pid === undefined || lease.host !== hostname() || lease.pid === process.pid) return false;
  try {
    process.kill(lease.pid, 0);
    return false;
  } catch (error) {
    // EPERM: the process exists but is someone else's.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Held: by an owner, not expired, and not by a process known to be dead. */
function isHeld(lease: LeaseGeneration, nowMs: number): boolean {
  return lease.owner !== null && lease.expiresAtMs > nowMs && !holderIsDead(lease);
}

function renewed(current: LeaseGeneration, owner: string, ttlMs: number, nowMs: number): LeaseGeneration {
  return {
    owner,
    expiresAtMs: nowMs + ttlMs,
    acquiredAtMs: current.acquiredAtMs ?? nowMs,
    pid: process.pid,
    host: hostname(),
  };
}

const GENERATION_FILE = /^(\d{12})\.json$/;
/** Under contention each round is won by someone, so many rounds mean something else is wrong. */
const MAX_ROUNDS = 1000;

export class FileLeases {
  readonly #directory: string;

  constructor(directory: string) {
    this.#directory = directory;
  }

  async acquire(leaseDirectory: string, owner: string, ttlMs: number, nowMs: number): Promise<boolean> {
    return this.#advance(leaseDirectory, (current) => {
      if (current?.owner === owner) return renewed(current, owner, ttlMs, nowMs);
      if (current !== null && isHeld(current, nowMs)) return null;
      return { owner, expiresAtMs: nowMs + ttlMs, acquiredAtMs: nowMs, pid: process.pid, host: hostname() };
    });
  }

  async renew(leaseDirectory: string, owner: string, ttlMs: number, nowMs: number): Promise<boolean> {
    return this.#advance(leaseDirectory, (current) =>
      current?.owner === owner ? renewed(current, owner, ttlMs, nowMs) : null,
    );
  }

  /** The current holder while the lease is held at `nowMs` by a live process; null otherwise. */
  async holder(
    leaseDirectory: string,
    nowMs: number,
  ): Promise<{ owner: string; acquiredAtMs: number; expiresAtMs: number } | null> {
    const directory = join(this.#directory, leaseDirectory);
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const current = await readCurrent(directory);
      if (current === 'moved') continue;
      const lease = current?.lease;
      if (!lease?.owner || !isHeld(lease, nowMs)) return null;
      return {
        owner: lease.owner,
        acquiredAtMs: lease.acquiredAtMs ?? lease.expiresAtMs,
        expiresAtMs: lease.expiresAtMs,
      };
    }
    throw new DriftStoreError(`lease ${directory} kept changing for ${MAX_ROUNDS} rounds`);
  }

  async release(leaseDirectory: string, owner: string): Promise<boolean> {
    return this.#advance(leaseDirectory, (current) =>
      current?.owner === owner ? { owner: null, expiresAtMs: 0 } : null,
    );
  }

  /** Writes the generation `decide` returns after the current one; false when it returns null. */
  async #advance(
    leaseDirectory: string,
    decide: (current: LeaseGeneration | null) => LeaseGeneration | null,
  ): Promise<boolean> {
    const directory = join(this.#directory, leaseDirectory);
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const current = await readCurrent(directory);
      if (current === 'moved') continue;
      const next = decide(current?.lease ?? null);
      if (next === null) return false;
      const generation = (current?.generation ?? 0) + 1;
      if (!(await createJson(generationPath(directory, generation), next))) continue;
      if ((await latestGeneration(directory)) !== generation) {
        // Our number had been pruned and was reused: a later generation is the real holder.
        await removeFile(generationPath(directory, generation));
        continue;
      }
      await prune(directory, generation);
      return true;
    }
    throw new DriftStoreError(`lease ${directory} kept changing for ${MAX_ROUNDS} rounds`);
  }
}

async function readCurrent(
  directory: string,
): Promise<{ generation: number; lease: LeaseGeneration } | null | 'moved'> {
  const generation = await latestGeneration(directory);
  if (generation === 0) return null;
  const lease = await readJson<LeaseGeneration>(generationPath(directory, generation));
  // Pruned between listing and reading: a newer generation exists.
  return lease === null ? 'moved' : { generation, lease };
}

async function latestGeneration(directory: string): Promise<number> {
  return Math.max(0, ...(await generations(directory)));
}

async function generations(directory: string): Promise<number[]> {
  const names = await listJsonFiles(directory);
  return names.flatMap((name) => {
    const match = GENERATION_FILE.exec(name);
    return match?.[1] ? [Number(match[1])] : [];
  });
}

/** Keeps the current generation and the one before, which a slower reader may still be reading. */
async function prune(directory: string, current: number): Promise<void> {
  const old = (await generations(directory)).filter((generation) => generation < current - 1);
  await Promise.all(old.map((generation) => removeFile(generationPath(directory, generation))));
}

function generationPath(directory: string, generation: number): string {
  return join(directory, `${String(generation).padStart(12, '0')}.json`);
}
