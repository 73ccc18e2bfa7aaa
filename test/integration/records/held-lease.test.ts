/**
 * HeldLease over both stores with a short lease time: a live holder keeps the lease by its
 * heartbeat for many lease times, while a lease nobody renews lapses after one.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DriftStore } from '../../../functions/records/drift-store.js';
import { DynamoDbDriftStore } from '../../../functions/records/dynamodb-drift-store.js';
import { FileDriftStore } from '../../../functions/records/file-drift-store.js';
import { HeldLease } from '../../../functions/records/held-lease.js';
import { type LocalDynamoDb, startLocalDynamoDb } from './dynalite-server.js';

let dynamo: LocalDynamoDb;
const directories: string[] = [];
beforeAll(async () => {
  dynamo = await startLocalDynamoDb();
});
afterAll(async () => {
  await dynamo.close();
  await Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true })));
});

const stores: [string, () => Promise<DriftStore>][] = [
  [
    'the file store',
    async () => {
      const directory = await mkdtemp(join(tmpdir(), 'held-lease-'));
      directories.push(directory);
      return new FileDriftStore({ directory });
    },
  ],
  [
    'the DynamoDB store',
    async () => new DynamoDbDriftStore({ tableName: await dynamo.createTable(), client: dynamo.client }),
  ],
];

const TTL_MS = 400;
const clock = () => new Date();

describe.each(stores)('a held lease on %s', (_name, newStore) => {
  it('stays with its live holder for several lease times, then goes to the next run once released', async () => {
    const store = await newStore();
    const lease = await HeldLease.take({ store, name: 'target:a', owner: 'run-live', ttlMs: TTL_MS, clock });
    expect(lease).not.toBeNull();
    const takenAt = new Date();

    await sleep(3 * TTL_MS);

    expect(await store.acquireLease('target:a', 'run-next', TTL_MS, clock())).toBe(false);
    const holder = await store.getLease('target:a', clock());
    expect(holder?.owner).toBe('run-live');
    expect(Date.parse(holder?.acquiredAt ?? '')).toBeLessThanOrEqual(takenAt.getTime());
    expect(await lease?.confirm()).toBe(true);
    await lease?.release();
    expect(await store.acquireLease('target:a', 'run-next', TTL_MS, clock())).toBe(true);
  });

  it('lapses one lease time after its holder stopped renewing it', async () => {
    const store = await newStore();
    expect(await store.acquireLease('target:a', 'run-crashed', TTL_MS, clock())).toBe(true);
    expect(await store.acquireLease('target:a', 'run-next', TTL_MS, clock())).toBe(false);

    await sleep(TTL_MS + 50);

    expect(await store.getLease('target:a', clock())).toBeNull();
    expect(await store.acquireLease('target:a', 'run-next', TTL_MS, clock())).toBe(true);
  });

  it('tells its holder it is lost once another run took it, and frees nothing on release', async () => {
    const store = await newStore();
    const lease = await HeldLease.take({ store, name: 'target:a', owner: 'run-a', ttlMs: TTL_MS, clock });
    // Another run whose clock is past the lease: as if run-a had not renewed in time.
    expect(await store.acquireLease('target:a', 'run-b', TTL_MS, Date.now() + 2 * TTL_MS)).toBe(true);

    expect(await lease?.confirm()).toBe(false);
    expect(lease?.lost).toBe(true);
    await lease?.release();
    expect((await store.getLease('target:a', Date.now() + 2 * TTL_MS))?.owner).toBe('run-b');
  });
});
