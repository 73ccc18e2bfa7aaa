/**
 * Alerts SNS did not take stay in the outbox and go out with a later run, each exactly once.
 */
import { describe, expect, it } from 'vitest';
import type { PublishedMessage } from '../../../functions/local-aws/state.js';
import { runDetector } from '../../../functions/run/detector.js';
import {
  ALERTED_TARGETS,
  createTopic,
  machineBody,
  runConfig,
  targetOf,
  temporaryFileStore,
  useCallerCredentials,
  useExampleWorld,
} from './helpers.js';

const localAws = useExampleWorld();
useCallerCredentials();

/** How many messages carry each alert (the run that enqueued it, and its target). */
function countsByAlert(messages: readonly PublishedMessage[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const message of messages) {
    const alert = `${machineBody(message).runId}:${targetOf(message)}`;
    counts[alert] = (counts[alert] ?? 0) + 1;
  }
  return counts;
}

const once = (runId: string, targets: readonly string[]) =>
  Object.fromEntries(targets.map((target) => [`${runId}:${target}`, 1]));

describe('alerts SNS did not take', () => {
  it('stay pending while the topic does not exist and go out exactly once when it does', async () => {
    const aws = localAws.current;
    const store = await temporaryFileStore();
    const topicArn = 'arn:aws:sns:us-east-1:111111111111:drift-created-later';

    const run1 = await runDetector(await runConfig(aws, { runId: 'run-1', store, topicArn }));
    expect(run1.summary.alerts).toEqual({ enqueued: 10, published: 0, failed: 10, pending: 10 });
    expect(aws.messages()).toEqual([]);
    const pending = await store.listPendingAlerts();
    expect(pending.map((a) => (a.payload as { alertId: string }).alertId)).toEqual(pending.map((a) => a.id));
    expect(
      pending
        .map((a) => JSON.parse((a.payload as { message: string }).message).sqs)
        .map((sqs: string) => {
          const body = JSON.parse(sqs) as { accountId: string; region: string };
          return `${body.accountId}/${body.region}`;
        })
        .sort(),
    ).toEqual([...ALERTED_TARGETS].sort());
    expect(
      pending.every((a) => a.attempts === 1 && /^NotFound\w*: Topic does not exist/.test(a.lastError!)),
    ).toBe(true);

    const run2 = await runDetector(await runConfig(aws, { runId: 'run-2', store, topicArn }));
    expect(run2.summary.alerts).toEqual({ enqueued: 0, published: 0, failed: 10, pending: 10 });
    expect((await store.listPendingAlerts()).map((a) => a.attempts)).toEqual(Array(10).fill(2));

    expect(await createTopic(aws, 'drift-created-later')).toBe(topicArn);
    const run3 = await runDetector(await runConfig(aws, { runId: 'run-3', store, topicArn }));
    expect(run3.summary.alerts).toEqual({ enqueued: 0, published: 10, failed: 0, pending: 0 });
    expect(countsByAlert(aws.messages())).toEqual(once('run-1', ALERTED_TARGETS));
    expect(await store.listPendingAlerts()).toEqual([]);

    await runDetector(await runConfig(aws, { runId: 'run-4', store, topicArn }));
    expect(aws.messages()).toHaveLength(ALERTED_TARGETS.length);
  });

  it('publish the rest of the run and go out with the next run when SNS fails one publish', async () => {
    const aws = localAws.current;
    const store = await temporaryFileStore();
    aws.setFaults({ rules: [{ service: 'sns', operation: 'Publish', error: 'server-error', count: 1 }] });

    const run1 = await runDetector(await runConfig(aws, { runId: 'run-1', store }));
    expect(run1.summary.alerts).toEqual({ enqueued: 10, published: 9, failed: 1, pending: 1 });
    const [failed] = await store.listPendingAlerts();
    expect(failed).toMatchObject({ attempts: 1, lastError: expect.stringMatching(/^InternalError/) });

    const run2 = await runDetector(await runConfig(aws, { runId: 'run-2', store }));
    expect(run2.summary.alerts).toEqual({ enqueued: 0, published: 1, failed: 0, pending: 0 });
    expect(countsByAlert(aws.messages())).toEqual(once('run-1', ALERTED_TARGETS));
    expect(aws.messages().at(-1)!.messageAttributes['alertId']?.StringValue).toBe(failed!.id);
  });
});
