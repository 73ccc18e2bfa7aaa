/**
 * Target leases within a run: two workers of one run (a queued target delivered twice) do
 * not process a target at once, and a run that loses a target's lease while processing it
 * (its renewals stopped for a whole lease time, another run took it) writes neither the
 * registry nor the records.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { DriftStore } from '../../../functions/records/drift-store.js';
import { openRun } from '../../../functions/run/detector.js';
import { processTarget } from '../../../functions/run/process-target.js';
import { scanOne } from '../../../functions/scan/scan-targets.js';
import {
  NARROWED_222_EU,
  runConfig,
  temporaryFileStore,
  useCallerCredentials,
  useExampleWorld,
} from './helpers.js';

const localAws = useExampleWorld();
useCallerCredentials();

const LEASE_TTL_MS = 300;
const LEASE = 'target:222222222222/eu-west-1';

/** The store, with another run taking the target's lease (its clock past this run's lease) as the record is read. */
function takenWhileRead(store: DriftStore): DriftStore {
  return new Proxy(store, {
    get(target, property) {
      if (property === 'getTarget') {
        return async (...args: Parameters<DriftStore['getTarget']>) => {
          await target.acquireLease(LEASE, 'run-other', 60_000, Date.now() + 2 * LEASE_TTL_MS);
          // Long enough for this run's heartbeat (every third of the lease time) to find out.
          await sleep(LEASE_TTL_MS);
          return target.getTarget(...args);
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('a run that lost a target lease to another run', () => {
  it('leaves the registry and the records to that run', async () => {
    const aws = localAws.current;
    const store = await temporaryFileStore();
    const opened = await openRun(
      await runConfig(aws, {
        runId: 'run-slow',
        store: takenWhileRead(store),
        remediation: { mode: 'apply', accounts: [NARROWED_222_EU.accountId] },
      }),
    );
    try {
      const settings = { ...opened.settings, leaseTtlMs: LEASE_TTL_MS };
      const outcome = await scanOne(opened.deps.scanner, NARROWED_222_EU);

      const result = await processTarget(opened.deps, settings, outcome);

      expect(result).toMatchObject({
        status: 'skipped',
        reason: 'this run lost its lease on the target to another run',
      });
      expect(aws.calls().filter((c) => c.operation === 'PutSigningConfiguration')).toEqual([]);
      expect(await store.getTarget(NARROWED_222_EU)).toBeNull();
      expect(await store.listJournal(NARROWED_222_EU)).toEqual([]);
      expect((await store.getLease(LEASE, Date.now()))?.owner).toBe('run-other');
    } finally {
      opened.session.close();
    }
  });
});

describe('two workers of one run on the same target at once', () => {
  it('leave it to one of them; the other is told its own run holds it', async () => {
    const aws = localAws.current;
    const store = await temporaryFileStore();
    const opened = await openRun(await runConfig(aws, { runId: 'run-twice', store }));
    try {
      const outcome = await scanOne(opened.deps.scanner, NARROWED_222_EU);

      const results = await Promise.all([
        processTarget(opened.deps, opened.settings, outcome),
        processTarget(opened.deps, opened.settings, outcome),
      ]);

      expect(results.map((r) => r.status).sort()).toEqual(['scanned', 'skipped']);
      expect(results.find((r) => r.status === 'skipped')?.heldBy).toMatchObject({
        runId: 'run-twice',
        longerThanLeaseTime: false,
      });
    } finally {
      opened.session.close();
    }
  });
});
