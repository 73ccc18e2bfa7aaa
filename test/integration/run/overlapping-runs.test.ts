/**
 * Two runs at once on the same records (a manual run during the scheduled one, a retried
 * invocation): target leases keep a target to one run at a time, the outbox lease keeps
 * an alert to one publisher, and neither run's alerts wait for a third run.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import type { LocalAws } from '../../../functions/local-aws/server.js';
import type { DriftStore } from '../../../functions/records/drift-store.js';
import { runDetector } from '../../../functions/run/detector.js';
import { flushOutbox, OUTBOX_LEASE } from '../../../functions/run/outbox.js';
import { silentTelemetry } from '../../../functions/run/telemetry.js';
import {
  ALERTED_TARGETS,
  BROKEN_CONFIGURATION,
  COMPLIANT_222_US,
  countsByTarget,
  eventTypesByTarget,
  key,
  NARROWED_222_EU,
  putConfiguration,
  runConfig,
  temporaryFileStore,
  testClock,
  useCallerCredentials,
  useExampleWorld,
} from './helpers.js';

const localAws = useExampleWorld();
useCallerCredentials();

const oncePerTarget = Object.fromEntries(ALERTED_TARGETS.map((target) => [target, 1]));

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** The store, with `hook` awaited before each lease is taken. */
function beforeLease(store: DriftStore, hook: (name: string) => Promise<void>): DriftStore {
  return new Proxy(store, {
    get(target, property) {
      if (property === 'acquireLease') {
        return async (...args: Parameters<DriftStore['acquireLease']>) => {
          await hook(args[0]);
          return target.acquireLease(...args);
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

async function firstPublish(aws: LocalAws): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (aws.calls().some((c) => c.operation === 'Publish')) return;
    await sleep(5);
  }
  throw new Error('no Publish call within 2.5 s');
}

describe('two overlapping runs on the same store', () => {
  it('alert each target once between them and leave nothing in the outbox', async () => {
    const aws = localAws.current;
    const store = await temporaryFileStore();

    const [a, b] = await Promise.all([
      runDetector(await runConfig(aws, { runId: 'run-a', store, concurrency: 2 })),
      runDetector(await runConfig(aws, { runId: 'run-b', store, concurrency: 2 })),
    ]);

    expect(countsByTarget(aws.messages())).toEqual(oncePerTarget);
    for (const target of ALERTED_TARGETS) {
      const alerting = [a, b].filter(({ results }) =>
        results.some((r) => key(r) === target && r.events.length > 0),
      );
      expect(alerting, target).toHaveLength(1);
    }
    expect(a.summary.alerts.published + b.summary.alerts.published).toBe(10);
    expect([a.summary.alerts.pending, b.summary.alerts.pending]).toEqual([0, 0]);
    expect(await store.listPendingAlerts()).toEqual([]);
  });

  it('publish the alerts of a run that finished while the other was still publishing', async () => {
    const aws = localAws.current;
    const store = await temporaryFileStore();
    // Each publish takes a while, so run A is still publishing run 1's alerts when run B is done.
    aws.setFaults({ rules: [{ service: 'sns', operation: 'Publish', latencyMs: 150 }] });

    const runA = runDetector(await runConfig(aws, { runId: 'run-a', store }));
    await firstPublish(aws);
    await putConfiguration(aws, COMPLIANT_222_US, BROKEN_CONFIGURATION);
    const b = await runDetector(await runConfig(aws, { runId: 'run-b', store }));
    const a = await runA;

    expect(a.summary.alerts).toMatchObject({ enqueued: 10, published: 10 });
    expect(b.summary.alerts).toEqual({ enqueued: 1, published: 1, failed: 0, pending: 0 });
    expect(eventTypesByTarget(aws.messages())[key(COMPLIANT_222_US)]?.map((types) => types[0])).toEqual([
      'finding.opened',
      'config.changed',
    ]);
    expect(await store.listPendingAlerts()).toEqual([]);
  });

  it('leave a target to the run that processed it after the other had scanned it', async () => {
    const aws = localAws.current;
    const store = await temporaryFileStore();
    const contested = `target:${key(NARROWED_222_EU)}`;
    const bScanned = deferred();
    const aProcessed = deferred();
    // B has read the registry before A takes it; B takes it only once A has remediated it.
    const storeA = beforeLease(store, async (name) => {
      if (name === contested) await bScanned.promise;
    });
    const storeB = beforeLease(store, async (name) => {
      if (name !== contested) return;
      bScanned.resolve();
      await aProcessed.promise;
    });
    const remediation = { mode: 'apply' as const, accounts: [NARROWED_222_EU.accountId] };

    const [a, b] = await Promise.all([
      runDetector({
        ...(await runConfig(aws, { runId: 'run-a', store: storeA, remediation })),
        onTarget: (result) => {
          if (key(result) === key(NARROWED_222_EU)) aProcessed.resolve();
        },
      }),
      runDetector(await runConfig(aws, { runId: 'run-b', store: storeB, remediation })),
    ]);

    const resultOf = (run: typeof a) => run.results.find((r) => key(r) === key(NARROWED_222_EU));
    expect(resultOf(a)).toMatchObject({ status: 'scanned', remediation: 'applied' });
    expect(resultOf(b)).toMatchObject({ status: 'skipped', remediation: null, events: [] });
    // One message: its drift from desired, and the remediation that run applied for it.
    expect(eventTypesByTarget(aws.messages())[key(NARROWED_222_EU)]).toEqual([
      ['finding.opened', 'remediation.applied'],
    ]);
    expect(await store.listJournal(NARROWED_222_EU)).toEqual([
      expect.objectContaining({ runId: 'run-a', status: 'applied' }),
    ]);
  });

  it('count as pending what the flush could not publish, not what the other run enqueued meanwhile', async () => {
    const store = await temporaryFileStore();
    const clock = testClock();
    await store.enqueueAlert({ id: 'run-x:1', payload: { subject: 'a' } }, clock());
    clock.advance(1);
    await store.enqueueAlert({ id: 'run-x:2', payload: { subject: 'b' } }, clock());
    const publish = vi
      .fn<() => Promise<string>>()
      .mockImplementationOnce(async () => {
        // Another run, finishing a target, enqueues while this flush is under way.
        await store.enqueueAlert({ id: 'run-y:1', payload: { subject: 'c' } }, clock());
        return 'message-id';
      })
      .mockRejectedValueOnce(Object.assign(new Error('Rate exceeded'), { name: 'Throttled' }));

    const result = await flushOutbox({
      store,
      publisher: { publish },
      owner: 'run-x',
      leaseTtlMs: 60_000,
      telemetry: silentTelemetry,
      clock,
    });

    expect(result).toEqual({
      published: 1,
      failed: 1,
      pending: 1,
      errors: [expect.objectContaining({ operation: 'Publish', errorName: 'Throttled' })],
    });
    expect((await store.listPendingAlerts()).map((a) => a.id)).toEqual(['run-x:2', 'run-y:1']);
  });

  it('leave the alerts for the next run when the outbox stays held, and publish them once it is free', async () => {
    const store = await temporaryFileStore();
    const clock = testClock();
    const publish = vi.fn(async () => 'message-id');
    await store.acquireLease(OUTBOX_LEASE, 'run-that-died', 60_000, clock());
    await store.enqueueAlert({ id: 'run-x:111111111111:us-east-1', payload: { subject: 's' } }, clock());
    const flush = (leaseWaitMs: number) =>
      flushOutbox({
        store,
        publisher: { publish },
        owner: 'run-y',
        leaseTtlMs: 60_000,
        telemetry: silentTelemetry,
        clock,
        leaseWaitMs,
      });

    const started = performance.now();
    expect(await flush(300)).toEqual({ published: 0, failed: 0, pending: 1, errors: [] });
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(publish).not.toHaveBeenCalled();

    clock.advance(60_000);
    expect(await flush(300)).toEqual({ published: 1, failed: 0, pending: 0, errors: [] });
    expect(publish).toHaveBeenCalledTimes(1);
  });
});
