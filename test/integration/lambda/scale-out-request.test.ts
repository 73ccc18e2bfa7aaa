/**
 * Scale-out keeps the request: the scheduler puts the action, trigger, remediation mode and
 * policies on every queued target, and the worker does exactly that, never the defaults.
 * The functions are configured for `apply` in 222222222222, whose eu-west-1 registry drifts.
 * SQS is the one part without a local endpoint: the scheduler's sends are captured by a mock.
 */
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { QueuedTarget } from '../../../functions/aws/target-queue.js';
import { DetectorEnv } from '../../../functions/config/detector-environment.js';
import { DynamoDbDriftStore } from '../../../functions/records/dynamodb-drift-store.js';
import { functionEnvironment, sqsEvent, useLambdaWorld } from './helpers.js';

const DRIFTING = { accountId: '222222222222', region: 'eu-west-1' };
const world = useLambdaWorld();
let tableName: string;
const sqs = mockClient(SQSClient);

afterAll(() => {
  sqs.restore();
});

beforeEach(async () => {
  world.localAws.reset();
  tableName = await world.dynamo.createTable();
  process.env = functionEnvironment(world, tableName, {
    [DetectorEnv.accounts]: '222222222222,333333333333',
    [DetectorEnv.remediation]: 'apply',
    [DetectorEnv.remediationAccounts]: '222222222222',
    [DetectorEnv.queueUrl]: 'https://sqs.us-east-1.amazonaws.com/111111111111/targets',
  });
  vi.resetModules();
  sqs.reset();
  sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
});

const scheduler = async () => (await import('../../../functions/lambda/scan-scheduler-handler.js')).handler;
const worker = async () => (await import('../../../functions/lambda/scan-worker-handler.js')).handler;

/** Every target the scheduler put on the queue. */
function enqueued(): QueuedTarget[] {
  return sqs
    .commandCalls(SendMessageBatchCommand)
    .flatMap((call) => call.args[0].input.Entries ?? [])
    .map((entry) => JSON.parse(entry.MessageBody!) as QueuedTarget);
}

const writes = () =>
  world.localAws
    .calls()
    .filter((c) => ['PutSigningConfiguration', 'DeleteSigningConfiguration'].includes(c.operation));

async function recorded(target: { accountId: string; region: string }) {
  return new DynamoDbDriftStore({ tableName, client: world.dynamo.client }).getTarget(target);
}

describe('the scale-out scheduler', () => {
  it('puts the manual audit request on every target it enqueues', async () => {
    const response = await (await scheduler())({ action: 'audit', accounts: ['222222222222'] });
    expect(response).toMatchObject({ action: 'audit', enqueued: 2, refused: 0 });
    expect(enqueued().map((t) => [`${t.accountId}/${t.region}`, t.request])).toEqual([
      ['222222222222/us-east-1', { action: 'audit', trigger: 'manual-audit', remediation: 'off' }],
      ['222222222222/eu-west-1', { action: 'audit', trigger: 'manual-audit', remediation: 'off' }],
    ]);
  });

  it('carries the remediation mode and the policy subset of a manual run', async () => {
    await (await scheduler())({ action: 'run', remediation: 'off', policies: ['signing-configured'] });
    const requests = enqueued().map((t) => t.request);
    expect(requests).toHaveLength(4);
    for (const request of requests)
      expect(request).toEqual({
        action: 'run',
        trigger: 'manual-run',
        remediation: 'off',
        policies: ['signing-configured'],
      });
  });

  it('gives a scheduled run the configured remediation mode', async () => {
    await (await scheduler())({ source: 'aws.scheduler' });
    expect(enqueued()[0]?.request).toEqual({ action: 'run', trigger: 'schedule', remediation: 'apply' });
  });

  it('refuses a rollback with one line and enqueues nothing', async () => {
    await expect(
      (await scheduler())({ action: 'rollback', target: '222222222222/eu-west-1' }),
    ).rejects.toThrow(
      /^action rollback is not available in scale-out mode: .*ecr-sign-drift rollback --target ACCOUNT\/REGION`$/,
    );
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
  });

  it('refuses an unknown policy and an account outside the configuration before enqueuing', async () => {
    await expect((await scheduler())({ action: 'run', policies: ['no-such-policy'] })).rejects.toThrow(
      "unknown policy 'no-such-policy'",
    );
    await expect((await scheduler())({ action: 'run', accounts: ['444444444444'] })).rejects.toThrow(
      'accounts 444444444444 are not among the configured accounts',
    );
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
    expect(world.localAws.calls().filter((c) => c.operation === 'AssumeRole')).toEqual([]);
  });
});

describe('the scale-out worker', () => {
  const message = (request: unknown) => JSON.stringify({ runId: 'run-request-test', ...DRIFTING, request });

  it('audits an audit target without recording, alerting or remediating', async () => {
    const response = await (await worker())(
      sqsEvent([message({ action: 'audit', trigger: 'manual-audit', remediation: 'off' })]),
    );
    expect(response).toEqual({ batchItemFailures: [] });
    expect(world.localAws.calls().some((c) => c.operation === 'GetSigningConfiguration')).toBe(true);
    expect(writes()).toEqual([]);
    expect(await recorded(DRIFTING)).toBeNull();
    expect(world.localAws.messages()).toEqual([]);
  });

  it('does not remediate a run whose request says remediation off', async () => {
    await (await worker())(sqsEvent([message({ action: 'run', trigger: 'manual-run', remediation: 'off' })]));
    expect(writes()).toEqual([]);
    expect((await recorded(DRIFTING))?.state.lastScan).toEqual({ status: 'ok' });
  });

  it('remediates a run whose request says apply, in an allow-listed account', async () => {
    await (await worker())(sqsEvent([message({ action: 'run', trigger: 'schedule', remediation: 'apply' })]));
    expect(writes().map((c) => `${c.operation} ${c.accountId}/${c.region}`)).toEqual([
      'PutSigningConfiguration 222222222222/eu-west-1',
    ]);
  });

  it('refuses a message without a request, or with an incomplete one, and never runs it', async () => {
    const response = await (await worker())(
      sqsEvent([
        JSON.stringify({ runId: 'run-request-test', ...DRIFTING }),
        message({ action: 'run', trigger: 'schedule' }),
        message({ action: 'rollback', trigger: 'manual-rollback', remediation: 'off' }),
      ]),
    );
    expect(response).toEqual({
      batchItemFailures: [{ itemIdentifier: 'm-0' }, { itemIdentifier: 'm-1' }, { itemIdentifier: 'm-2' }],
    });
    expect(world.localAws.calls().filter((c) => c.service === 'ecr')).toEqual([]);
    expect(await recorded(DRIFTING)).toBeNull();
  });
});
