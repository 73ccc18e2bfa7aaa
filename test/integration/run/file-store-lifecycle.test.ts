/**
 * A target's whole alert lifecycle through runDetector, the FileDriftStore and the local
 * AWS endpoint: detected, quiet, changed by someone else, remediated, resolved, reminded,
 * rolled back. One story, run after run on the same records.
 */
import { describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../../functions/core/alerts/alert-event.js';
import { ALERT_MESSAGE_SCHEMA_VERSION } from '../../../functions/core/alerts/machine-body.js';
import { configurationHash } from '../../../functions/core/drift/index.js';
import { rollbackRemediation } from '../../../functions/remediation/rollback.js';
import { runDetector } from '../../../functions/run/detector.js';
import {
  ALERTED_TARGETS,
  attribute,
  BROKEN_CONFIGURATION,
  COMPLIANT_222_US,
  createTopic,
  DAY_MS,
  ecrRegistryOf,
  eventTypesByTarget,
  HOUR_MS,
  key,
  machineBody,
  machineBodyProblems,
  messagesByTarget,
  NARROWED_222_EU,
  putConfiguration,
  readConfiguration,
  runConfig,
  targetOf,
  temporaryFileStore,
  testClock,
  useCallerCredentials,
  useExampleWorld,
  worldConfiguration,
} from './helpers.js';

const localAws = useExampleWorld();
useCallerCredentials();

/** What each alerted target's first message says in its subject. */
const FIRST_SUBJECTS: Record<string, string> = {
  '111111111111/eu-west-1': '[INFO] ECR signing in 111111111111/eu-west-1: 1 new finding',
  // Two of them about images: a signing failed by the revoked profile (critical), so the newest image is unsigned.
  '111111111111/us-east-1': '[CRITICAL] ECR signing in 111111111111/us-east-1: 6 new findings',
  '222222222222/eu-west-1': '[MEDIUM] ECR signing in 222222222222/eu-west-1: 1 new finding',
  '222222222222/us-east-1': '[LOW] ECR signing in 222222222222/us-east-1: 1 new finding',
  '333333333333/eu-west-1': '[HIGH] ECR signing in 333333333333/eu-west-1: 6 new findings',
  // Two of them about an image whose signing is stuck IN_PROGRESS.
  '333333333333/us-east-1': '[HIGH] ECR signing in 333333333333/us-east-1: 8 new findings',
  '444444444444/eu-west-1': '[CRITICAL] ECR signing in 444444444444/eu-west-1: signing not configured',
  '444444444444/us-east-1': '[CRITICAL] ECR signing in 444444444444/us-east-1: signing not configured',
  '555555555555/eu-west-1': '[MEDIUM] ECR signing in 555555555555/eu-west-1: scan failed',
  '555555555555/us-east-1': '[MEDIUM] ECR signing in 555555555555/us-east-1: scan failed',
};

/**
 * What taking `*prod*` away from 222222222222/us-east-1 opens, as `policy repository`: the
 * repositories it leaves uncovered, and the registry's drift from its desired configuration.
 */
const BREAK_FINDINGS = [
  'all-repositories-covered payments/api-prod',
  'all-repositories-covered payments/worker-prod',
  'matches-desired',
  'production-repositories-covered payments/api-prod',
  'production-repositories-covered payments/worker-prod',
  'required-repositories-covered payments/api-prod',
  'required-repositories-covered payments/worker-prod',
];

function eventsOf(events: readonly AlertEvent[], type: AlertEvent['type']): AlertEvent[] {
  return events.filter((e) => e.type === type);
}

describe('the scheduled run over the example world, run after run on a file store', () => {
  it('alerts each change once, stays quiet in between, remediates, resolves, reminds and rolls back', async () => {
    const aws = localAws.current;
    const store = await temporaryFileStore();
    const clock = testClock('2026-03-02T09:00:00Z');
    const start = clock.ms;
    const topicArn = await createTopic(aws, 'drift-lifecycle');
    const run = async (runId: string, options: Parameters<typeof runConfig>[1]['remediation'] = {}) => {
      const before = aws.messages().length;
      const result = await runDetector(
        await runConfig(aws, { runId, store, topicArn, clock, remediation: options }),
      );
      return { ...result, messages: aws.messages().slice(before) };
    };

    // Run 1: one message per alerted target, on the topic created for it.
    const run1 = await run('run-1');
    expect(run1.summary.targets).toEqual({
      scanned: 8,
      failed: 2,
      skipped: 0,
      heldByAnotherRun: 0,
      heldLongerThanLeaseTime: 0,
    });
    expect(run1.summary.alerts).toEqual({ enqueued: 10, published: 10, failed: 0, pending: 0 });
    expect(run1.messages.every((m) => m.topicArn === topicArn)).toBe(true);
    const first = messagesByTarget(run1.messages);
    expect([...first.keys()].sort()).toEqual(ALERTED_TARGETS);
    for (const [target, messages] of first) {
      expect(messages, target).toHaveLength(1);
      const [message] = messages;
      const body = machineBody(message!);
      expect(message!.subject).toBe(FIRST_SUBJECTS[target]);
      expect(message!.messageStructure).toBe('json');
      expect(attribute(message!, 'eventType')).toEqual(body.eventTypes);
      expect(attribute(message!, 'severity')).toBe(body.severity);
      expect(attribute(message!, 'accountId')).toBe(target.split('/')[0]);
      expect(machineBodyProblems(body)).toBe('');
      expect(body).toMatchObject({
        schemaVersion: ALERT_MESSAGE_SCHEMA_VERSION,
        runId: 'run-1',
        accountId: target.split('/')[0],
        region: target.split('/')[1],
      });
    }
    expect(machineBody(first.get('222222222222/us-east-1')![0]!).accountName).toBe('payments-prod');
    expect(eventTypesByTarget(run1.messages)).toMatchObject({
      '111111111111/us-east-1': [
        [
          'finding.opened',
          'finding.opened',
          'finding.opened',
          'finding.opened',
          'finding.opened',
          'finding.opened',
        ],
      ],
      '222222222222/eu-west-1': [['finding.opened']],
      '444444444444/us-east-1': [['signing.not-configured']],
      '555555555555/us-east-1': [['scan.failed']],
    });

    // Run 2, an hour later, nothing changed: nothing to say.
    clock.advance(HOUR_MS);
    const run2 = await run('run-2');
    expect(run2.messages).toEqual([]);
    expect(run2.summary.alerts).toEqual({ enqueued: 0, published: 0, failed: 0, pending: 0 });
    expect(run2.summary.targets).toEqual(run1.summary.targets);

    // Someone in 222222222222 takes the *prod* filter away from the compliant registry.
    await putConfiguration(aws, COMPLIANT_222_US, BROKEN_CONFIGURATION);
    clock.advance(HOUR_MS);
    const run3 = await run('run-3');
    expect(run3.messages.map(targetOf)).toEqual([key(COMPLIANT_222_US)]);
    const changed = machineBody(run3.messages[0]!);
    expect(changed.eventTypes).toEqual(['config.changed', 'finding.opened']);
    const [configChanged] = eventsOf(changed.events, 'config.changed');
    expect(configChanged).toMatchObject({
      previousHash: configurationHash(worldConfiguration(COMPLIANT_222_US)),
      currentHash: configurationHash(BROKEN_CONFIGURATION),
      changes: [expect.stringMatching(/ecr_release_signing.*lost filter '\*prod\*'/)],
    });
    const detected = eventsOf(changed.events, 'finding.opened').map(
      (e) => 'fingerprint' in e && [e.policyId, e.repositoryName].filter(Boolean).join(' '),
    );
    expect(detected.sort()).toEqual(BREAK_FINDINGS);
    expect(run3.messages[0]!.subject).toMatch(/^\[HIGH\] ECR signing in 222222222222\/us-east-1/);

    // Run 4 may write in 222222222222: both of its drifted registries are remediated.
    clock.advance(HOUR_MS);
    const run4 = await run('run-4', { mode: 'apply', accounts: ['222222222222'] });
    const remediated = run4.results.filter((r) => r.remediation === 'applied').map(key);
    expect(remediated.sort()).toEqual([key(NARROWED_222_EU), key(COMPLIANT_222_US)]);
    const run4Events = eventTypesByTarget(run4.messages);
    expect(run4Events[key(COMPLIANT_222_US)]).toEqual([['remediation.applied']]);
    expect(run4Events[key(NARROWED_222_EU)]).toEqual([['remediation.applied']]);
    const journal = await store.getJournalEntry(COMPLIANT_222_US, 'run-4');
    expect(journal).toMatchObject({ status: 'applied', before: BROKEN_CONFIGURATION });
    const readBack = await readConfiguration(aws, COMPLIANT_222_US);
    expect(readBack).toEqual(journal!.after);
    // The merge puts the missing filter back: the registry means what it did before the break.
    expect(configurationHash(readBack)).toBe(configurationHash(worldConfiguration(COMPLIANT_222_US)));
    const applied = eventsOf(
      machineBody(messagesByTarget(run4.messages).get(key(COMPLIANT_222_US))![0]!).events,
      'remediation.applied',
    );
    expect(applied).toEqual([
      expect.objectContaining({ summary: 'merge plan for 222222222222/us-east-1: 1 change' }),
    ]);

    // Run 5 sees the remediated registry: the findings of the break are resolved.
    clock.advance(HOUR_MS);
    const run5 = await run('run-5');
    // The remediation's own write is no news: run 4 recorded what it wrote, so nothing reads as a change.
    expect(eventTypesByTarget(run5.messages)).toEqual({
      [key(COMPLIANT_222_US)]: [BREAK_FINDINGS.map(() => 'finding.resolved')],
    });

    // A minute before a day has passed since run 1, nothing is due; at the day, reminders are.
    clock.set(start + DAY_MS - 60_000);
    expect((await run('run-6')).messages).toEqual([]);
    clock.set(start + DAY_MS);
    const run7 = await run('run-7');
    const reminders = eventTypesByTarget(run7.messages);
    expect(Object.keys(reminders).sort()).toEqual(ALERTED_TARGETS);
    expect(reminders['111111111111/us-east-1']).toEqual([
      [
        'finding.reminder',
        'finding.reminder',
        'finding.reminder',
        'finding.reminder',
        'finding.reminder',
        'finding.reminder',
      ],
    ]);
    expect(reminders['222222222222/us-east-1']).toEqual([['finding.reminder']]);
    expect(reminders['444444444444/us-east-1']).toEqual([['signing.not-configured']]);
    expect(reminders['555555555555/us-east-1']).toEqual([['scan.failed']]);
    const notConfigured = machineBody(messagesByTarget(run7.messages).get('444444444444/us-east-1')![0]!);
    expect(notConfigured.events[0]).toMatchObject({ reminder: true });

    // Rolling run 4 back puts the broken configuration back, and the next run says so.
    const rollback = await rollbackRemediation(
      { ecr: await ecrRegistryOf(aws, COMPLIANT_222_US), store, runId: 'rollback-1', now: clock },
      COMPLIANT_222_US,
      'run-4',
    );
    expect(rollback).toMatchObject({ status: 'applied', kind: 'rollback', rollbackOf: 'run-4' });
    expect(await readConfiguration(aws, COMPLIANT_222_US)).toEqual(BROKEN_CONFIGURATION);
    expect(await store.getJournalEntry(COMPLIANT_222_US, 'rollback-1')).toMatchObject({
      status: 'rolled-back',
      after: BROKEN_CONFIGURATION,
    });
    clock.advance(HOUR_MS);
    const run8 = await run('run-8');
    expect(eventTypesByTarget(run8.messages)).toEqual({
      [key(COMPLIANT_222_US)]: [['config.changed', ...BREAK_FINDINGS.map(() => 'finding.opened')]],
    });
  });
});
