/**
 * The window kill -9 hits only now and then, made certain: a run dies after it recorded a
 * target and put its alert in the outbox, before it marked the findings notified. The next
 * run plans the same transitions again; they carry the same alertId, so the outbox keeps
 * one message and subscribers get it once.
 */
import { describe, expect, it } from 'vitest';
import { runDetector } from '../../../functions/run/detector.js';
import {
  BROKEN_CONFIGURATION,
  COMPLIANT_222_US,
  HOUR_MS,
  key,
  machineBody,
  messagesByTarget,
  putConfiguration,
  runConfig,
  temporaryFileStore,
  testClock,
  useCallerCredentials,
  useExampleWorld,
} from './helpers.js';

const localAws = useExampleWorld();
useCallerCredentials();

describe('a run that dies after recording a target', () => {
  it.each([
    ['after the outbox, before the notified marks', 'markFindingsNotified', 1],
    ['before the outbox', 'enqueueAlert', 0],
  ] as const)(
    '%s leaves the next run nothing to tell twice and nothing untold',
    async (_when, dies, pendingAfterCrash) => {
      const aws = localAws.current;
      const store = await temporaryFileStore();
      const clock = testClock();
      await runDetector(await runConfig(aws, { runId: 'run-1', store, clock }));
      await putConfiguration(aws, COMPLIANT_222_US, BROKEN_CONFIGURATION);
      const published = aws.messages().length;

      // run-2 dies at the first call of `dies`: the process is gone from there on.
      const dying = new Proxy(store, {
        get(target, name) {
          // Only run-2's own work dies: finishing what run-1 left is the store's ordinary work.
          if (name === dies) {
            return (...args: unknown[]) => {
              const [first, second] = args as [Parameters<typeof target.enqueueAlert>[0], Date];
              const ofRun1 = dies === 'enqueueAlert' && !JSON.stringify(first.payload).includes('run-2');
              return ofRun1 ? target.enqueueAlert(first, second) : Promise.reject(new Error('killed'));
            };
          }
          const value = Reflect.get(target, name, target);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      clock.advance(HOUR_MS);
      await expect(
        runDetector(await runConfig(aws, { runId: 'run-2', store: dying, clock })),
      ).rejects.toThrow('killed');
      expect(aws.messages().length).toBe(published);
      expect(await store.listPendingAlerts()).toHaveLength(pendingAfterCrash);

      clock.advance(HOUR_MS);
      await runDetector(await runConfig(aws, { runId: 'run-3', store, clock }));

      const told = messagesByTarget(aws.messages().slice(published)).get(key(COMPLIANT_222_US)) ?? [];
      expect(told).toHaveLength(1);
      expect(machineBody(told[0]!).runId).toBe('run-2');
      expect(machineBody(told[0]!).eventTypes).toEqual(['config.changed', 'finding.opened']);
      expect(await store.listPendingAlerts()).toEqual([]);
    },
  );
});
