/**
 * A worker batch may hold targets of several runs (a scheduled run and a manual one queued
 * at the same time): each run is processed and recorded under its own id and request.
 */
import { describe, expect, it, vi } from 'vitest';
import { DetectorEnv } from '../../../functions/config/detector-environment.js';
import { DynamoDbDriftStore } from '../../../functions/records/dynamodb-drift-store.js';
import { functionEnvironment, sqsEvent, useLambdaWorld } from './helpers.js';

const world = useLambdaWorld();

describe('the scale-out worker with a batch of two runs', () => {
  it('records each run under its own id, with its own trigger and targets', async () => {
    const tableName = await world.dynamo.createTable();
    process.env = functionEnvironment(world, tableName, {
      [DetectorEnv.accounts]: '222222222222,333333333333',
      [DetectorEnv.queueUrl]: 'https://sqs.us-east-1.amazonaws.com/111111111111/targets',
    });
    vi.resetModules();
    const { handler } = await import('../../../functions/lambda/scan-worker-handler.js');
    const scheduled = { action: 'run', trigger: 'schedule', remediation: 'off' };
    const manual = { action: 'run', trigger: 'manual-run', remediation: 'off' };
    const message = (runId: string, accountId: string, region: string, request: object) =>
      JSON.stringify({ runId, accountId, region, request });

    const response = await handler(
      sqsEvent([
        message('run-scheduled', '222222222222', 'us-east-1', scheduled),
        message('run-manual', '333333333333', 'us-east-1', manual),
        message('run-scheduled', '222222222222', 'eu-west-1', scheduled),
      ]),
    );

    expect(response).toEqual({ batchItemFailures: [] });
    const store = new DynamoDbDriftStore({ tableName, client: world.dynamo.client });
    const runs = (await store.listRuns(new Date())).map((r) => ({
      runId: r.runId,
      mode: r.mode,
      targets: (r.counts['targets'] as { scanned: number }).scanned,
    }));
    expect(runs.sort((a, b) => a.runId.localeCompare(b.runId))).toEqual([
      { runId: 'run-manual', mode: 'manual-run', targets: 1 },
      { runId: 'run-scheduled', mode: 'schedule', targets: 2 },
    ]);
  });
});
