import { describe, expect, it } from 'vitest';
import { compareTargets } from '../../../functions/core/ordering.js';
import {
  GENERATED_ROOT_ID,
  GENERATED_WORKLOADS_UNIT_ID,
  generatedAccountId,
  generatedTeamUnitId,
  generatedWorld,
} from '../../../functions/local-aws/generated-world.js';
import { useLocalAws } from '../local-aws/helpers.js';
import { callsOf, essentials, keys, scan, useCallerEnvironment } from './helpers.js';

const ACCOUNTS = 30;
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
const PROFILES_PER_REGION = 3;
const TEAMS = 4;
const world = generatedWorld({
  accounts: ACCOUNTS,
  regions: REGIONS,
  repositoriesPerRegistry: 3,
  profilesPerRegion: PROFILES_PER_REGION,
  teams: TEAMS,
});
const localAws = useLocalAws(world);
useCallerEnvironment();

describe('an organization of 30 accounts in 3 regions', () => {
  it('reads every registry of every ACTIVE account with its organizational unit path and names', async () => {
    const result = await scan(localAws.current, { regions: REGIONS });
    expect(result.errors).toEqual([]);
    expect(result.registries.map(essentials)).toEqual(
      [...world.registries].sort(compareTargets).map((r) => ({
        ...essentials(r),
        repositories: r.repositories.map(({ repositoryName }) => ({ repositoryName })),
      })),
    );
    const team2Account = result.registries.find((r) => r.accountId === generatedAccountId(3));
    expect(team2Account?.account).toMatchObject({
      name: 'workload-3',
      organizationalUnitPath: [GENERATED_ROOT_ID, GENERATED_WORKLOADS_UNIT_ID, generatedTeamUnitId(2)],
      organizationalUnitNames: ['Root', 'Workloads', 'Team 2'],
    });
  });

  it('assumes the role once per account, whatever the number of regions, and never in its own account', async () => {
    await scan(localAws.current, { regions: REGIONS });
    expect(callsOf(localAws.current, 'AssumeRole')).toHaveLength(ACCOUNTS - 1);
    const readAccounts = new Set(
      callsOf(localAws.current, 'GetSigningConfiguration').map((c) => c.accountId),
    );
    expect(readAccounts.size).toBe(ACCOUNTS);
  });

  it('reads each shared signing profile once however many registries reference it', async () => {
    const result = await scan(localAws.current, { regions: REGIONS });
    const profileReads = callsOf(localAws.current, 'GetSigningProfile');
    expect(profileReads).toHaveLength(PROFILES_PER_REGION * REGIONS.length);
    // Two profiles per registry configuration, every one of them read back as Active.
    const attached = result.registries.flatMap((r) => r.signingProfiles ?? []);
    expect(attached).toHaveLength(ACCOUNTS * REGIONS.length * 2);
    expect(attached.every((p) => p.status === 'Active')).toBe(true);
  });

  it('reads repository tags only when asked to, one GetResources per registry', async () => {
    const untagged = await scan(localAws.current, { regions: REGIONS, readRepositoryTags: false });
    expect(callsOf(localAws.current, 'ListTagsForResource')).toEqual([]);
    expect(callsOf(localAws.current, 'GetResources')).toEqual([]);
    expect(untagged.registries.flatMap((r) => r.repositories).every((repo) => !('tags' in repo))).toBe(true);

    localAws.current.reset();
    const tagged = await scan(localAws.current, { regions: REGIONS, readRepositoryTags: true });
    const ecrTagReads = callsOf(localAws.current, 'ListTagsForResource').filter((c) => c.service === 'ecr');
    expect(ecrTagReads).toEqual([]);
    expect(callsOf(localAws.current, 'GetResources')).toHaveLength(ACCOUNTS * REGIONS.length);
    expect(tagged.registries.map((r) => r.repositories)).toEqual(
      [...world.registries].sort(compareTargets).map((r) => r.repositories),
    );
  });

  it('starts scanning before the organization listing ends', async () => {
    await scan(localAws.current, { regions: REGIONS, concurrency: 4 });
    const calls = localAws.current.calls();
    const firstRegistryRead = calls.findIndex((c) => c.service === 'ecr');
    const lastListing = calls.map((c) => c.service).lastIndexOf('organizations');
    expect(firstRegistryRead).toBeGreaterThanOrEqual(0);
    expect(firstRegistryRead).toBeLessThan(lastListing);
  });

  it('scans only the accounts below the organizational unit it is given, with their full path', async () => {
    const team = generatedTeamUnitId(1);
    const result = await scan(localAws.current, { organization: { organizationalUnitId: team } });
    const expected = Array.from({ length: ACCOUNTS }, (_, n) => n)
      .filter((n) => n > 0 && (n - 1) % TEAMS === 1)
      .map((n) => `${generatedAccountId(n)}/us-east-1`);
    expect(keys(result.registries)).toEqual(expected);
    expect(new Set(result.registries.map((r) => JSON.stringify(r.account?.organizationalUnitNames)))).toEqual(
      new Set([JSON.stringify(['Root', 'Workloads', 'Team 1'])]),
    );
    expect(result.registries[0]?.account?.organizationalUnitPath).toEqual([
      GENERATED_ROOT_ID,
      GENERATED_WORKLOADS_UNIT_ID,
      team,
    ]);
  });
});
