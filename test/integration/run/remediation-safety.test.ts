/**
 * Remediation inside a run, against the local AWS endpoint: what `plan` leaves alone, how
 * far `apply` may go (allow-list, per-run budget), and what a put AWS refuses leaves behind.
 */
import { describe, expect, it } from 'vitest';
import type { FaultErrorKind } from '../../../functions/local-aws/faults.js';
import type { LocalAws } from '../../../functions/local-aws/server.js';
import { runDetector } from '../../../functions/run/detector.js';
import {
  ALL_TARGETS,
  eventTypesByTarget,
  HOUR_MS,
  key,
  machineBody,
  messagesByTarget,
  NARROWED_222_EU,
  readConfiguration,
  runConfig,
  temporaryFileStore,
  testClock,
  useCallerCredentials,
  useExampleWorld,
  worldConfiguration,
} from './helpers.js';

const localAws = useExampleWorld();
useCallerCredentials();

/** The registries whose configuration differs from the desired one and can be merged into it. */
const REMEDIABLE = [
  '222222222222/eu-west-1',
  '333333333333/eu-west-1',
  '333333333333/us-east-1',
  '444444444444/eu-west-1',
  '444444444444/us-east-1',
];

const WRITES = ['PutSigningConfiguration', 'DeleteSigningConfiguration'];

function writeCalls(aws: LocalAws) {
  return aws.calls().filter((c) => c.service === 'ecr' && WRITES.includes(c.operation));
}

function registriesByTarget(aws: LocalAws) {
  return Object.fromEntries(aws.snapshot().registries.map((r) => [key(r), r.signingConfiguration]));
}

function asTarget(name: string) {
  const [accountId, region] = name.split('/') as [string, string];
  return { accountId, region };
}

describe('remediation in a run', () => {
  it('in plan mode writes nothing to ECR and journals and alerts each plan once', async () => {
    const aws = localAws.current;
    const store = await temporaryFileStore();
    const clock = testClock();
    const before = registriesByTarget(aws);
    const remediation = { mode: 'plan' as const, accounts: ['222222222222', '333333333333', '444444444444'] };

    const { summary, results } = await runDetector(
      await runConfig(aws, { runId: 'plan-1', store, clock, remediation }),
    );

    expect(writeCalls(aws)).toEqual([]);
    expect(registriesByTarget(aws)).toEqual(before);
    expect(
      results
        .filter((r) => r.remediation === 'planned')
        .map(key)
        .sort(),
    ).toEqual(REMEDIABLE);
    expect(summary.remediation).toEqual({ planned: 5, applied: 0, failed: 0, skipped: 0 });
    for (const name of REMEDIABLE) {
      const target = asTarget(name);
      expect(await store.listJournal(target), name).toEqual([
        expect.objectContaining({
          runId: 'plan-1',
          status: 'planned',
          before: worldConfiguration(target),
          reason: 'remediation mode is plan: the plan is recorded, nothing is written',
        }),
      ]);
      const [message] = messagesByTarget(aws.messages()).get(name) ?? [];
      expect(machineBody(message!).eventTypes, name).toContain('remediation.planned');
    }

    // The same plans an hour later are no news; a day later they are worth a reminder.
    const published = aws.messages().length;
    clock.advance(HOUR_MS);
    await runDetector(await runConfig(aws, { runId: 'plan-2', store, clock, remediation }));
    expect(eventTypesByTarget(aws.messages().slice(published))).toEqual({});
    clock.advance(23 * HOUR_MS);
    await runDetector(await runConfig(aws, { runId: 'plan-3', store, clock, remediation }));
    const reminded = eventTypesByTarget(aws.messages().slice(published));
    for (const name of REMEDIABLE) expect(reminded[name]?.flat(), name).toContain('remediation.planned');
    expect(writeCalls(aws)).toEqual([]);
  });

  it('in apply mode writes only in allow-listed accounts, and no more registries than the run may', async () => {
    const aws = localAws.current;
    const store = await temporaryFileStore();
    const before = registriesByTarget(aws);
    const allowed = ['333333333333', '444444444444'];

    const { summary, results } = await runDetector(
      await runConfig(aws, {
        runId: 'apply-1',
        store,
        remediation: { mode: 'apply', accounts: allowed, maxPerRun: 2 },
      }),
    );

    const applied = results.filter((r) => r.remediation === 'applied').map(key);
    expect(applied).toHaveLength(2);
    expect(applied.every((name) => allowed.includes(asTarget(name).accountId))).toBe(true);
    expect(summary.remediation).toMatchObject({ applied: 2, planned: 3, failed: 0 });
    const writes = writeCalls(aws);
    expect(writes.map((c) => key(c)).sort()).toEqual([...applied].sort());
    const after = registriesByTarget(aws);
    const changed = ALL_TARGETS.filter(
      (name) => JSON.stringify(after[name]) !== JSON.stringify(before[name]),
    );
    expect(changed.sort()).toEqual([...applied].sort());

    const reasons = Object.fromEntries(
      await Promise.all(
        REMEDIABLE.filter((name) => !applied.includes(name)).map(
          async (name) => [name, (await store.listJournal(asTarget(name)))[0]?.reason] as const,
        ),
      ),
    );
    expect(reasons[key(NARROWED_222_EU)]).toBe('account 222222222222 is not on the remediation allow-list');
    const overBudget = Object.entries(reasons).filter(([name]) => name !== key(NARROWED_222_EU));
    expect(overBudget.map(([, reason]) => reason)).toEqual([
      "the run's limit of 2 remediations is reached",
      "the run's limit of 2 remediations is reached",
    ]);
  });

  it('gives the grant of an apply that wrote nothing back to the run, for the next target to use', async () => {
    const aws = localAws.current;
    const store = await temporaryFileStore();
    // The first put is refused; the registry keeps its configuration.
    aws.setFaults({
      rules: [{ service: 'ecr', operation: 'PutSigningConfiguration', error: 'access-denied', count: 1 }],
    });

    const { summary, results } = await runDetector(
      await runConfig(aws, {
        runId: 'apply-given-back',
        store,
        concurrency: 1,
        remediation: { mode: 'apply', accounts: ['333333333333'], maxPerRun: 1 },
      }),
    );

    const remediated = results.filter((r) => r.accountId === '333333333333').map((r) => r.remediation);
    expect(remediated.sort()).toEqual(['applied', 'failed']);
    expect(summary.remediation).toMatchObject({ applied: 1, failed: 1 });
    expect(writeCalls(aws).map((c) => c.errorCode ?? 'ok')).toEqual(['AccessDeniedException', 'ok']);
  });

  it.each<[FaultErrorKind, string]>([
    ['access-denied', 'AccessDeniedException'],
    ['server-error', 'ServerException'],
  ])(
    'alerts remediation.failed and keeps the old configuration when the put gets %s',
    async (error, code) => {
      const aws = localAws.current;
      const store = await temporaryFileStore();
      aws.setFaults({ rules: [{ service: 'ecr', operation: 'PutSigningConfiguration', error }] });

      const { summary, results } = await runDetector(
        await runConfig(aws, {
          runId: 'apply-1',
          store,
          remediation: { mode: 'apply', accounts: [NARROWED_222_EU.accountId] },
        }),
      );

      expect(results.find((r) => key(r) === key(NARROWED_222_EU))?.remediation).toBe('failed');
      expect(summary.remediation).toMatchObject({ applied: 0, failed: 1 });
      expect(writeCalls(aws).map((c) => [key(c), c.errorCode])).toEqual([[key(NARROWED_222_EU), code]]);
      expect(await readConfiguration(aws, NARROWED_222_EU)).toEqual(worldConfiguration(NARROWED_222_EU));
      const [message] = messagesByTarget(aws.messages()).get(key(NARROWED_222_EU)) ?? [];
      const body = machineBody(message!);
      expect(body.severity).toBe('high');
      // The registry's drift is opened as a finding in the same message as the failed fix.
      expect(body.events).toEqual([
        expect.objectContaining({ type: 'finding.opened', policyId: 'matches-desired' }),
        expect.objectContaining({
          type: 'remediation.failed',
          reason: expect.stringMatching(
            new RegExp(
              `PutSigningConfiguration failed: ${code}: .*the registry kept its previous configuration`,
            ),
          ),
        }),
      ]);
      expect(await store.getJournalEntry(NARROWED_222_EU, 'apply-1')).toMatchObject({
        status: 'failed',
        before: worldConfiguration(NARROWED_222_EU),
        after: worldConfiguration(NARROWED_222_EU),
      });
    },
  );
});
