/**
 * Target leases in DynamoDB (dynalite), through the detector handler: a target another run
 * holds is skipped, counted and named in the response (and flagged when held for longer than
 * the lease time); the lease of a run that stopped renewing lapses after one lease time.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DetectorEnv } from '../../../functions/config/detector-environment.js';
import { DynamoDbDriftStore } from '../../../functions/records/dynamodb-drift-store.js';
import { LEASE_TTL_MS } from '../../../functions/run/detector.js';
import type { RunSummary } from '../../../functions/run/run-types.js';
import { functionEnvironment, useLambdaWorld } from './helpers.js';

const world = useLambdaWorld();
let store: DynamoDbDriftStore;
const MINUTE = 60_000;

beforeEach(async () => {
  world.localAws.reset();
  const tableName = await world.dynamo.createTable();
  store = new DynamoDbDriftStore({ tableName, client: world.dynamo.client });
  process.env = functionEnvironment(world, tableName, {
    [DetectorEnv.accounts]: '222222222222,333333333333',
  });
});

async function runOverUsEast1(): Promise<RunSummary> {
  vi.resetModules();
  const { handler } = await import('../../../functions/lambda/detector-handler.js');
  const response = await handler({ action: 'run', regions: ['us-east-1'] });
  return response.summary as RunSummary;
}

describe('target leases held by other runs', () => {
  it('skip the target, counted in the response, and flag a lease held for longer than the lease time', async () => {
    const now = Date.now();
    // A run still renewing after five minutes on one target, and one that has just taken the other.
    await store.acquireLease('target:222222222222/us-east-1', 'run-stuck', 10 * MINUTE, now - 5 * MINUTE);
    await store.acquireLease('target:333333333333/us-east-1', 'run-busy', LEASE_TTL_MS, now);

    const summary = await runOverUsEast1();

    expect(summary.targets).toEqual({
      scanned: 0,
      failed: 0,
      skipped: 2,
      heldByAnotherRun: 2,
      heldLongerThanLeaseTime: 1,
    });
    expect(await store.getTarget({ accountId: '222222222222', region: 'us-east-1' })).toBeNull();
  });

  it('lapse one lease time after their run stopped renewing them', async () => {
    const crashedAt = Date.now() - LEASE_TTL_MS - 1000;
    await store.acquireLease('target:222222222222/us-east-1', 'run-crashed', LEASE_TTL_MS, crashedAt);

    const summary = await runOverUsEast1();

    expect(summary.targets).toMatchObject({ scanned: 2, skipped: 0, heldByAnotherRun: 0 });
    expect(await store.getLease('target:222222222222/us-east-1', new Date())).toBeNull();
  });
});
