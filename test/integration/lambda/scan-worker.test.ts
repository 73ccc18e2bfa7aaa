import { beforeAll, describe, expect, it } from 'vitest';
import { DetectorEnv } from '../../../functions/config/detector-environment.js';
import { DynamoDbDriftStore } from '../../../functions/records/dynamodb-drift-store.js';
import { machineBody } from '../run/helpers.js';
import { functionEnvironment, sqsEvent, useLambdaWorld } from './helpers.js';

const world = useLambdaWorld();
let tableName: string;
const SCHEDULED = { action: 'run', trigger: 'schedule', remediation: 'off' };

beforeAll(async () => {
  tableName = await world.dynamo.createTable();
  process.env = functionEnvironment(world, tableName, {
    [DetectorEnv.accounts]: '222222222222,333333333333,555555555555',
    [DetectorEnv.queueUrl]: 'https://sqs.us-east-1.amazonaws.com/111111111111/targets',
  });
});

describe('the scale-out worker handler', () => {
  it('runs the per-target code for each queued target, records it and publishes its alert', async () => {
    const { handler } = await import('../../../functions/lambda/scan-worker-handler.js');
    const target = (accountId: string, region: string) =>
      JSON.stringify({ runId: 'run-worker-test', accountId, region, request: SCHEDULED });
    const response = await handler(
      sqsEvent([target('333333333333', 'us-east-1'), target('555555555555', 'us-east-1')]),
    );
    expect(response).toEqual({ batchItemFailures: [] });

    const store = new DynamoDbDriftStore({ tableName, client: world.dynamo.client });
    const scanned = await store.getTarget({ accountId: '333333333333', region: 'us-east-1' });
    expect(scanned?.state.lastScan).toEqual({ status: 'ok' });
    expect(scanned?.openFindings.size).toBeGreaterThan(0);
    const denied = await store.getTarget({ accountId: '555555555555', region: 'us-east-1' });
    expect(denied?.state.lastScan).toMatchObject({
      status: 'failed',
      error: { operation: 'AssumeRole', errorName: 'AccessDenied' },
    });

    const alerted = world.localAws.messages().map((m) => m.messageAttributes['accountId']?.StringValue);
    expect(alerted.sort()).toEqual(['333333333333', '555555555555']);
    expect(await store.listPendingAlerts()).toEqual([]);

    // The batch is recorded under the run's id, so the run's summary can be assembled from its batches.
    const [batch] = (await store.listRuns(new Date())).filter((r) => r.runId === 'run-worker-test');
    expect(batch).toMatchObject({
      mode: 'schedule',
      counts: { targets: { scanned: 1, failed: 1, skipped: 0 } },
    });
  });

  it('reports a message that is not a target as a batch item failure and processes the rest quietly', async () => {
    const { handler } = await import('../../../functions/lambda/scan-worker-handler.js');
    const before = world.localAws.messages().length;
    const response = await handler(
      sqsEvent([
        'not json',
        JSON.stringify({
          runId: 'run-worker-test-2',
          accountId: '222222222222',
          region: 'eu-west-1',
          request: SCHEDULED,
        }),
      ]),
    );
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-0' }] });
    const store = new DynamoDbDriftStore({ tableName, client: world.dynamo.client });
    expect(
      (await store.getTarget({ accountId: '222222222222', region: 'eu-west-1' }))?.state.lastScan,
    ).toEqual({ status: 'ok' });
    // That registry breaks no policy and remediation is off: its first scan tells only that it
    // differs from its desired configuration.
    const told = world.localAws.messages().slice(before);
    expect(
      told.map((m) => machineBody(m).events.map((e) => `${e.type} ${'policyId' in e ? e.policyId : ''}`)),
    ).toEqual([['finding.opened matches-desired']]);
  });
});
