/**
 * A manual invocation of the detector handler stays within the function's configured scope:
 * accounts outside it are refused with one line before any role is assumed.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DetectorEnv } from '../../../functions/config/detector-environment.js';
import { DynamoDbDriftStore } from '../../../functions/records/dynamodb-drift-store.js';
import { functionEnvironment, useLambdaWorld } from './helpers.js';

const world = useLambdaWorld();
let tableName: string;

beforeEach(async () => {
  world.localAws.reset();
  tableName = await world.dynamo.createTable();
});

/** The detector handler cold-started with the function's environment plus `scope`. */
async function detectorWith(scope: Record<string, string>) {
  process.env = functionEnvironment(world, tableName, scope);
  vi.resetModules();
  return (await import('../../../functions/lambda/detector-handler.js')).handler;
}

const assumeRoleCalls = () => world.localAws.calls().filter((c) => c.operation === 'AssumeRole').length;
const readAccounts = () => [
  ...new Set(
    world.localAws
      .calls()
      .filter((c) => c.service === 'ecr')
      .map((c) => c.accountId),
  ),
];

async function recordedTargets(): Promise<string[]> {
  const store = new DynamoDbDriftStore({ tableName, client: world.dynamo.client });
  const found: string[] = [];
  for (const accountId of ['111111111111', '222222222222', '333333333333', '444444444444'])
    for (const region of ['us-east-1', 'eu-west-1'])
      if (await store.getTarget({ accountId, region })) found.push(`${accountId}/${region}`);
  return found;
}

describe('the detector handler with explicit accounts', () => {
  const explicit = { [DetectorEnv.accounts]: '111111111111,222222222222' };

  it('refuses a run in an account outside the configured accounts before assuming any role', async () => {
    const handler = await detectorWith(explicit);
    await expect(handler({ action: 'run', accounts: ['333333333333'] })).rejects.toThrow(
      'accounts 333333333333 are not among the configured accounts (ECR_SIGN_DRIFT_ACCOUNTS)',
    );
    expect(assumeRoleCalls()).toBe(0);
    expect(await recordedTargets()).toEqual([]);
    expect(world.localAws.messages()).toEqual([]);
  });

  it('refuses a rollback of a target outside the configured accounts', async () => {
    const handler = await detectorWith(explicit);
    await expect(handler({ action: 'rollback', target: '333333333333/us-east-1' })).rejects.toMatchObject({
      name: 'OutOfScopeError',
    });
    expect(assumeRoleCalls()).toBe(0);
  });

  it('refuses an excluded account even when it is configured', async () => {
    const handler = await detectorWith({ ...explicit, [DetectorEnv.excludeAccounts]: '222222222222' });
    await expect(handler({ action: 'audit', accounts: ['222222222222'] })).rejects.toThrow(
      'accounts 222222222222 are excluded (ECR_SIGN_DRIFT_EXCLUDE_ACCOUNTS)',
    );
  });

  it('audits a configured account when asked for it', async () => {
    const handler = await detectorWith(explicit);
    const response = await handler({ action: 'audit', accounts: ['222222222222'], regions: ['us-east-1'] });
    expect(response.summary).toMatchObject({ registries: 1 });
    expect(await recordedTargets()).toEqual([]);
  });
});

describe('the detector handler with organization discovery', () => {
  const discovery = {
    [DetectorEnv.organizationDiscovery]: 'true',
    [DetectorEnv.excludeAccounts]: '444444444444',
  };

  it('refuses an account that is not in the organization, listing the organization but assuming no role', async () => {
    const handler = await detectorWith(discovery);
    await expect(handler({ action: 'run', accounts: ['999999999999'] })).rejects.toThrow(
      "accounts 999999999999 are not among the organization's active accounts",
    );
    expect(assumeRoleCalls()).toBe(0);
    expect(world.localAws.calls().some((c) => c.service === 'organizations')).toBe(true);
    expect(await recordedTargets()).toEqual([]);
  });

  it('refuses a discovered account that is excluded and a suspended one', async () => {
    const handler = await detectorWith(discovery);
    await expect(handler({ action: 'run', accounts: ['444444444444'] })).rejects.toThrow(
      'accounts 444444444444 are excluded (ECR_SIGN_DRIFT_EXCLUDE_ACCOUNTS)',
    );
    await expect(handler({ action: 'run', accounts: ['666666666666'] })).rejects.toThrow(
      "accounts 666666666666 are not among the organization's active accounts",
    );
    expect(assumeRoleCalls()).toBe(0);
  });

  it('runs in a discovered account when asked for it', async () => {
    const handler = await detectorWith(discovery);
    const response = await handler({ action: 'run', accounts: ['333333333333'], regions: ['us-east-1'] });
    expect(response.errors).toEqual([]);
    expect(assumeRoleCalls()).toBe(1);
    expect(readAccounts()).toEqual(['333333333333']);
    expect(await recordedTargets()).toEqual(['333333333333/us-east-1']);
  });
});
