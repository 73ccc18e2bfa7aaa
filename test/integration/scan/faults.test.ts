import { describe, expect, it } from 'vitest';
import { generatedAccountId, generatedWorld } from '../../../functions/local-aws/generated-world.js';
import { useLocalAws } from '../local-aws/helpers.js';
import { callsOf, keys, scan, useCallerEnvironment } from './helpers.js';

const ACCOUNTS = 6;
const REGIONS = ['us-east-1', 'eu-west-1', 'eu-central-1'];
const DENIED = generatedAccountId(4);
const world = generatedWorld({
  accounts: ACCOUNTS,
  regions: REGIONS,
  repositoriesPerRegistry: 2,
  profilesPerRegion: 1,
  deniedAccountIds: [DENIED],
});
const localAws = useLocalAws(world);
useCallerEnvironment();

const ALL_TARGETS = ACCOUNTS * REGIONS.length;

describe('a scan under faults', () => {
  it('reads every registry when ECR and STS throttle a few calls that the retries absorb', async () => {
    localAws.current.setFaults({
      rules: [
        { service: 'ecr', operation: 'GetSigningConfiguration', error: 'throttling', count: 2 },
        { service: 'sts', operation: 'AssumeRole', error: 'throttling', count: 2 },
      ],
    });
    const result = await scan(localAws.current, { regions: REGIONS, maxAttempts: 3 });
    expect(result.errors.filter((e) => e.accountId !== DENIED)).toEqual([]);
    expect(result.registries).toHaveLength(ALL_TARGETS - REGIONS.length);
    const throttled = localAws.current
      .calls()
      .filter((c) => c.errorCode !== null && c.errorCode !== 'AccessDenied');
    expect(throttled.map((c) => c.errorCode).sort()).toEqual([
      'Throttling',
      'Throttling',
      'ThrottlingException',
      'ThrottlingException',
    ]);
  });

  it('reports a registry throttled past the retries with its operation and scans the others', async () => {
    const victim = generatedAccountId(2);
    localAws.current.setFaults({
      rules: [
        {
          service: 'ecr',
          operation: 'DescribeRepositories',
          accountId: victim,
          region: 'eu-west-1',
          error: 'throttling',
        },
      ],
    });
    const result = await scan(localAws.current, { regions: REGIONS, maxAttempts: 3 });
    expect(result.errors.filter((e) => e.accountId === victim)).toEqual([
      {
        accountId: victim,
        region: 'eu-west-1',
        operation: 'DescribeRepositories',
        errorName: 'ThrottlingException',
        message: 'Rate exceeded',
      },
    ]);
    const attempts = callsOf(localAws.current, 'DescribeRepositories').filter(
      (c) => c.accountId === victim && c.region === 'eu-west-1',
    );
    expect(attempts).toHaveLength(3);
    expect(result.registries).toHaveLength(ALL_TARGETS - REGIONS.length - 1);
  });

  it('reports each region of an account whose role is denied, asks STS once, and scans every other account', async () => {
    // One target at a time: the regions of the denied account ask one after another, not at once.
    const result = await scan(localAws.current, { regions: REGIONS, concurrency: 1 });
    expect(result.errors).toEqual(
      [...REGIONS].sort().map((region) => ({
        accountId: DENIED,
        region,
        operation: 'AssumeRole',
        errorName: 'AccessDenied',
        message: `User: arn:aws:iam::${generatedAccountId(0)}:user/local-aws is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${DENIED}:role/EcrSignDriftReadRole`,
      })),
    );
    expect(new Set(result.registries.map((r) => r.accountId)).size).toBe(ACCOUNTS - 1);
    // One refused AssumeRole for the denied account plus one for every other member account.
    expect(callsOf(localAws.current, 'AssumeRole')).toHaveLength(ACCOUNTS - 1);
  });

  it('gives up on a registry that does not answer within the target timeout, without holding up the run', async () => {
    const slow = generatedAccountId(3);
    localAws.current.setFaults({
      rules: [
        {
          service: 'ecr',
          operation: 'DescribeRepositories',
          accountId: slow,
          region: 'us-east-1',
          latencyMs: 4_000,
        },
      ],
    });
    const started = Date.now();
    const result = await scan(localAws.current, { regions: REGIONS, concurrency: 2, targetTimeoutMs: 500 });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(result.errors.filter((e) => e.accountId === slow)).toEqual([
      {
        accountId: slow,
        region: 'us-east-1',
        operation: 'DescribeRepositories',
        errorName: 'TargetTimeout',
        message: 'no answer within 500 ms (waiting for DescribeRepositories)',
      },
    ]);
    expect(result.registries).toHaveLength(ALL_TARGETS - REGIONS.length - 1);
  });

  it('reports a region that is not a region name for every account, without calling AWS there', async () => {
    const result = await scan(localAws.current, { regions: ['us-east-1', 'moon-base'] });
    const invalid = result.errors.filter((e) => e.region === 'moon-base');
    expect(invalid).toHaveLength(ACCOUNTS);
    expect(invalid[0]).toEqual({
      accountId: generatedAccountId(0),
      region: 'moon-base',
      operation: 'ResolveRegion',
      errorName: 'InvalidRegion',
      message: "'moon-base' is not an AWS region name (like us-east-1)",
    });
    expect(localAws.current.calls().filter((c) => c.region === 'moon-base')).toEqual([]);
    expect(result.registries).toHaveLength(ACCOUNTS - 1);
  });

  it('ends discovery at a failed Organizations call, reports it and scans the accounts found before it', async () => {
    localAws.current.setFaults({
      rules: [
        { service: 'organizations', operation: 'ListOrganizationalUnitsForParent', error: 'access-denied' },
      ],
    });
    const result = await scan(localAws.current, { regions: ['us-east-1'] });
    // Only the management account sits at the root; the units below it were never listed.
    expect(keys(result.registries)).toEqual([`${generatedAccountId(0)}/us-east-1`]);
    expect(result.errors).toEqual([
      {
        accountId: generatedAccountId(0),
        region: 'us-east-1',
        operation: 'ListOrganizationalUnitsForParent',
        errorName: 'AccessDeniedException',
        message: expect.stringContaining('organizations:ListOrganizationalUnitsForParent'),
      },
    ]);
  });
});
