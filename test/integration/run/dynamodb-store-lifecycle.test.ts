/**
 * The run on the Lambda's store: DynamoDbDriftStore on a dynalite server, with the local
 * AWS endpoint for everything else. Records before alerts, the outbox across runs, and
 * leases that hold between concurrent runs on a real conditional-write server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbDriftStore } from '../../../functions/records/dynamodb-drift-store.js';
import { runDetector } from '../../../functions/run/detector.js';
import { OUTBOX_LEASE } from '../../../functions/run/outbox.js';
import { type LocalDynamoDb, startLocalDynamoDb } from '../records/dynalite-server.js';
import {
  ALERTED_TARGETS,
  ALL_TARGETS,
  BROKEN_CONFIGURATION,
  COMPLIANT_222_US,
  countsByTarget,
  eventTypesByTarget,
  HOUR_MS,
  key,
  putConfiguration,
  readConfiguration,
  runConfig,
  testClock,
  useCallerCredentials,
  useExampleWorld,
} from './helpers.js';

const localAws = useExampleWorld();
useCallerCredentials();

let dynamoDb: LocalDynamoDb;
beforeAll(async () => {
  dynamoDb = await startLocalDynamoDb();
});
afterAll(async () => {
  await dynamoDb?.close();
});

async function newStore(): Promise<DynamoDbDriftStore> {
  return new DynamoDbDriftStore({ tableName: await dynamoDb.createTable(), client: dynamoDb.client });
}

function asTarget(name: string) {
  const [accountId, region] = name.split('/') as [string, string];
  return { accountId, region };
}

describe('the scheduled run on a DynamoDB store', () => {
  it('records first, keeps alerts in the outbox until a topic takes them, and follows a change to its remediation', async () => {
    const aws = localAws.current;
    const store = await newStore();
    const clock = testClock();
    const run = async (runId: string, options: Partial<Parameters<typeof runConfig>[1]> = {}) => {
      const before = aws.messages().length;
      const result = await runDetector(await runConfig(aws, { runId, store, clock, ...options }));
      return { ...result, messages: aws.messages().slice(before) };
    };

    // Without a topic the alerts wait in the outbox, after the records they are about.
    const run1 = await run('run-1', { topicArn: null });
    expect(run1.summary.alerts).toEqual({ enqueued: 10, published: 0, failed: 0, pending: 10 });
    expect(run1.messages).toEqual([]);
    expect(
      (await store.listPendingAlerts()).map((a) => {
        const body = JSON.parse(JSON.parse((a.payload as { message: string }).message).sqs) as {
          accountId: string;
          region: string;
        };
        return `${body.accountId}/${body.region}`;
      }),
    ).toEqual(expect.arrayContaining(ALERTED_TARGETS));
    for (const result of run1.results) {
      const record = await store.getTarget(result);
      expect(record?.state.lastScan.status, key(result)).toBe(result.status === 'failed' ? 'failed' : 'ok');
      expect([...(record?.openFindings.keys() ?? [])].sort()).toEqual(
        result.findings.map((f) => f.fingerprint).sort(),
      );
      // Findings of a registry without configuration are held back, not notified one by one.
      const notified = result.events.includes('finding.opened') ? clock().toISOString() : null;
      for (const finding of result.findings) {
        expect(record?.openFindings.get(finding.fingerprint)).toEqual({
          ...finding,
          firstSeen: clock().toISOString(),
          lastSeen: clock().toISOString(),
          lastNotified: notified,
        });
      }
    }

    // The next run, with the topic, sends run 1's alerts and has nothing new to say.
    clock.advance(HOUR_MS);
    const run2 = await run('run-2');
    expect(run2.summary.alerts).toEqual({ enqueued: 0, published: 10, failed: 0, pending: 0 });
    expect(countsByTarget(run2.messages)).toEqual(Object.fromEntries(ALERTED_TARGETS.map((t) => [t, 1])));

    await putConfiguration(aws, COMPLIANT_222_US, BROKEN_CONFIGURATION);
    clock.advance(HOUR_MS);
    const run3 = await run('run-3');
    expect(Object.keys(eventTypesByTarget(run3.messages))).toEqual([key(COMPLIANT_222_US)]);
    expect(eventTypesByTarget(run3.messages)[key(COMPLIANT_222_US)]?.[0]?.slice(0, 2)).toEqual([
      'config.changed',
      'finding.opened',
    ]);

    clock.advance(HOUR_MS);
    const run4 = await run('run-4', {
      regions: ['us-east-1'],
      remediation: { mode: 'apply', accounts: [COMPLIANT_222_US.accountId] },
    });
    expect(eventTypesByTarget(run4.messages)[key(COMPLIANT_222_US)]).toEqual([['remediation.applied']]);
    const [entry] = await store.listJournal(COMPLIANT_222_US);
    expect(entry).toMatchObject({ runId: 'run-4', status: 'applied', before: BROKEN_CONFIGURATION });
    expect(await readConfiguration(aws, COMPLIANT_222_US)).toEqual(entry!.after);

    clock.advance(HOUR_MS);
    const run5 = await run('run-5');
    const resolved = eventTypesByTarget(run5.messages)[key(COMPLIANT_222_US)]?.flat() ?? [];
    expect(resolved).toContain('finding.resolved');
    expect(resolved).not.toContain('finding.opened');

    expect((await store.listRuns(clock())).map((r) => r.runId)).toEqual([
      'run-5',
      'run-4',
      'run-3',
      'run-2',
      'run-1',
    ]);
    // Every lease the runs took is free again.
    for (const name of [OUTBOX_LEASE, ...ALL_TARGETS.map((t) => `target:${t}`)]) {
      expect(await store.acquireLease(name, 'someone-else', 60_000, clock()), name).toBe(true);
    }
  });

  it('lets two overlapping runs alert each target once between them', async () => {
    const aws = localAws.current;
    const store = await newStore();

    const [a, b] = await Promise.all([
      runDetector(await runConfig(aws, { runId: 'run-a', store, concurrency: 2 })),
      runDetector(await runConfig(aws, { runId: 'run-b', store, concurrency: 2 })),
    ]);

    expect(countsByTarget(aws.messages())).toEqual(Object.fromEntries(ALERTED_TARGETS.map((t) => [t, 1])));
    expect([a.summary.alerts.pending, b.summary.alerts.pending]).toEqual([0, 0]);
    for (const target of ALERTED_TARGETS) {
      const record = await store.getTarget(asTarget(target));
      expect(record?.state.lastScanAt, target).toBeDefined();
    }
  });
});
