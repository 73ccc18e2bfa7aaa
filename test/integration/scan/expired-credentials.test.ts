import { describe, expect, it } from 'vitest';
import { generatedAccountId, generatedWorld } from '../../../functions/local-aws/generated-world.js';
import { useLocalAws } from '../local-aws/helpers.js';
import { callsOf, keys, scan, useCallerEnvironment } from './helpers.js';

const REGIONS = ['us-east-1', 'eu-west-1'];
const world = generatedWorld({
  accounts: 4,
  regions: REGIONS,
  repositoriesPerRegistry: 2,
  profilesPerRegion: 1,
});
const localAws = useLocalAws(world);
useCallerEnvironment();

const VICTIM = generatedAccountId(3);

describe("a scan whose role credentials for a target's account expire mid-run", () => {
  it('assumes the role again once and reads that target like every other', async () => {
    const baseline = await scan(localAws.current, { regions: REGIONS });
    const assumeRolesWithoutExpiry = callsOf(localAws.current, 'AssumeRole').length;
    localAws.current.reset();
    localAws.current.setFaults({
      rules: [
        {
          service: 'ecr',
          operation: 'DescribeRepositories',
          accountId: VICTIM,
          region: 'eu-west-1',
          error: 'expired-credentials',
          count: 1,
        },
      ],
    });

    const result = await scan(localAws.current, { regions: REGIONS });

    expect(result.errors).toEqual([]);
    expect(keys(result.registries)).toEqual(keys(baseline.registries));
    expect(result.registries).toEqual(baseline.registries);
    const expired = localAws.current.calls().filter((c) => c.errorCode === 'ExpiredTokenException');
    // The session expired at that call; a call of the victim's other region in flight with it meets the expiry too.
    expect(expired.map((c) => `${c.accountId}/${c.region} ${c.operation} ${c.statusCode}`)).toContain(
      `${VICTIM}/eu-west-1 DescribeRepositories 400`,
    );
    expect(expired.every((c) => c.accountId === VICTIM && c.statusCode === 400)).toBe(true);
    // One more AssumeRole than a run without expiry: the victim's account, once, shared by its regions.
    expect(callsOf(localAws.current, 'AssumeRole')).toHaveLength(assumeRolesWithoutExpiry + 1);
  });

  it('reads a signing profile again with new credentials when Signer answered the old ones as expired', async () => {
    // The victim alone, so that its role is the one that reads the profiles.
    const victimOnly = { organization: undefined, accounts: [{ accountId: VICTIM }], regions: ['eu-west-1'] };
    const baseline = await scan(localAws.current, victimOnly);
    localAws.current.reset();
    localAws.current.setFaults({
      rules: [{ service: 'signer', accountId: VICTIM, error: 'expired-credentials', count: 1 }],
    });

    const result = await scan(localAws.current, victimOnly);

    expect(baseline.registries[0]?.signingProfiles).not.toEqual([]);
    expect(result.warnings).toEqual(baseline.warnings);
    expect(result.registries).toEqual(baseline.registries);
    expect(
      localAws.current.calls().filter((c) => c.service === 'signer' && c.errorCode !== null),
    ).toHaveLength(1);
  });

  it('reports the target as expired, not refused, when the new credentials expire too, and asks no more', async () => {
    localAws.current.setFaults({
      rules: [{ service: 'ecr', accountId: VICTIM, region: 'eu-west-1', error: 'expired-credentials' }],
    });

    const result = await scan(localAws.current, { regions: ['eu-west-1'] });

    expect(result.errors).toEqual([
      expect.objectContaining({
        accountId: VICTIM,
        region: 'eu-west-1',
        errorName: 'ExpiredTokenException',
        message: 'The security token included in the request is expired',
      }),
    ]);
    expect(result.registries.map((r) => r.accountId)).not.toContain(VICTIM);
    const victimEcrCalls = localAws.current
      .calls()
      .filter((c) => c.service === 'ecr' && c.accountId === VICTIM);
    // Two reads (GetSigningConfiguration and DescribeRepositories in parallel), each of them answered expired.
    expect(victimEcrCalls.map((c) => c.errorCode)).toEqual([
      'ExpiredTokenException',
      'ExpiredTokenException',
      'ExpiredTokenException',
      'ExpiredTokenException',
    ]);
  });
});
