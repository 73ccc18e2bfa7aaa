/**
 * The outbox lease with an artificially short lease time, on both stores: a flush that
 * outlasts the lease keeps it by renewing, so no other run publishes the same alert; and a
 * flush whose lease was taken by another run stops before its next publish.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DriftStore } from '../../../functions/records/drift-store.js';
import { DynamoDbDriftStore } from '../../../functions/records/dynamodb-drift-store.js';
import { flushOutbox, OUTBOX_LEASE } from '../../../functions/run/outbox.js';
import type { AlertPublisher } from '../../../functions/run/run-types.js';
import { silentTelemetry } from '../../../functions/run/telemetry.js';
import { type LocalDynamoDb, startLocalDynamoDb } from '../records/dynalite-server.js';
import { temporaryFileStore, testClock } from './helpers.js';

let dynamo: LocalDynamoDb;
beforeAll(async () => {
  dynamo = await startLocalDynamoDb();
});
afterAll(async () => {
  await dynamo.close();
});

const stores: [string, () => Promise<DriftStore>][] = [
  ['the file store', () => temporaryFileStore()],
  [
    'the DynamoDB store',
    async () => new DynamoDbDriftStore({ tableName: await dynamo.createTable(), client: dynamo.client }),
  ],
];

/** A publisher that records what it published, each publish taking `delayMs`, then calling `after`. */
function slowPublisher(
  published: string[],
  delayMs: number,
  after?: () => Promise<void>,
): AlertPublisher & { started: Promise<void> } {
  let markStarted = () => {};
  const started = new Promise<void>((resolve) => {
    markStarted = resolve;
  });
  return {
    started,
    async publish(alert) {
      markStarted();
      await sleep(delayMs);
      published.push((alert as unknown as { subject: string }).subject);
      await after?.();
      return `message-${published.length}`;
    },
  };
}

async function enqueue(store: DriftStore, subjects: string[], clock: () => Date): Promise<void> {
  for (const [i, subject] of subjects.entries()) {
    await store.enqueueAlert({ id: `run-x:${i}`, payload: { subject } }, clock().getTime() + i);
  }
}

describe.each(stores)('the outbox lease on %s', (_name, newStore) => {
  it('is renewed while a flush outlasts it, so an overlapping run publishes nothing twice', async () => {
    const store = await newStore();
    const leaseTtlMs = 600;
    const clock = () => new Date();
    await enqueue(store, ['a', 'b'], clock);
    const publishedByA: string[] = [];
    const publishedByB: string[] = [];
    const publisherA = slowPublisher(publishedByA, leaseTtlMs * 1.5);
    const flush = (owner: string, publisher: AlertPublisher) =>
      flushOutbox({
        store,
        publisher,
        owner,
        leaseTtlMs,
        telemetry: silentTelemetry,
        clock,
        leaseWaitMs: 10_000,
      });

    const runA = flush('run-a', publisherA);
    await publisherA.started;
    const runB = flush('run-b', slowPublisher(publishedByB, 0));
    const [resultA, resultB] = await Promise.all([runA, runB]);

    expect(publishedByA).toEqual(['a', 'b']);
    expect(publishedByB).toEqual([]);
    expect(resultA).toEqual({ published: 2, failed: 0, pending: 0, errors: [] });
    expect(resultB).toEqual({ published: 0, failed: 0, pending: 0, errors: [] });
  });

  it('keeps two flushes of one run (scale-out workers) from publishing the same alert', async () => {
    const store = await newStore();
    const clock = () => new Date();
    await enqueue(store, ['a', 'b'], clock);
    const published: string[] = [];
    const flush = () =>
      flushOutbox({
        store,
        publisher: slowPublisher(published, 100),
        owner: 'run-1',
        leaseTtlMs: 60_000,
        telemetry: silentTelemetry,
        clock,
        leaseWaitMs: 10_000,
      });

    const results = await Promise.all([flush(), flush()]);

    expect(published.sort()).toEqual(['a', 'b']);
    expect(results.map((r) => r.published).sort()).toEqual([0, 2]);
  });

  it('stops a flush whose lease another run took, before its next publish', async () => {
    const store = await newStore();
    const leaseTtlMs = 60_000;
    const clockA = testClock();
    // Run B's clock is past run A's lease: as if A had not renewed for longer than the lease time.
    const clockB = testClock();
    clockB.advance(2 * leaseTtlMs);
    await enqueue(store, ['a', 'b', 'c'], clockA);
    const publishedByA: string[] = [];
    const publishedByB: string[] = [];
    let stolen = false;
    const publisherA = slowPublisher(publishedByA, 0, async () => {
      if (!stolen) stolen = await store.acquireLease(OUTBOX_LEASE, 'run-b', leaseTtlMs, clockB());
    });
    const flush = (owner: string, publisher: AlertPublisher, clock: () => Date) =>
      flushOutbox({ store, publisher, owner, leaseTtlMs, telemetry: silentTelemetry, clock });

    const resultA = await flush('run-a', publisherA, clockA);
    expect(stolen).toBe(true);
    expect(publishedByA).toEqual(['a']);
    expect(resultA).toEqual({ published: 1, failed: 0, pending: 2, errors: [] });

    // Run B, which took the lease, goes on to flush.
    await store.releaseLease(OUTBOX_LEASE, 'run-b');
    const resultB = await flush('run-b', slowPublisher(publishedByB, 0), clockB);
    expect(publishedByB).toEqual(['b', 'c']);
    expect(resultB).toEqual({ published: 2, failed: 0, pending: 0, errors: [] });
    expect(await store.listPendingAlerts()).toEqual([]);
  });
});
