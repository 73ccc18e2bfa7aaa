/**
 * Repository tags read in bulk (Resource Groups Tagging API GetResources, 100 a page) against
 * the local endpoint, and the per-repository ListTagsForResource reads the scan falls back to
 * where GetResources is refused.
 */
import { describe, expect, it } from 'vitest';
import { buildFacts } from '../../../functions/core/facts/index.js';
import { compareTargets } from '../../../functions/core/ordering.js';
import type { RepositorySnapshot } from '../../../functions/core/types.js';
import { generatedAccountId, generatedWorld } from '../../../functions/local-aws/generated-world.js';
import { useLocalAws } from '../local-aws/helpers.js';
import { callsOf, scan, useCallerEnvironment } from './helpers.js';

const ACCOUNTS = 4;
const REGIONS = ['us-east-1', 'eu-west-1'];
const BIG_ACCOUNT = generatedAccountId(2);
const BIG_REGION = 'eu-west-1';
const BIG_TAGGED = 230;
const BIG_UNTAGGED = 20;
const world = generatedWorld({
  accounts: ACCOUNTS,
  regions: REGIONS,
  repositoriesPerRegistry: 3,
  profilesPerRegion: 2,
});
for (const registry of world.registries) {
  // One repository of each registry was never tagged: GetResources does not return it.
  const [first, ...rest] = registry.repositories;
  registry.repositories = [{ repositoryName: first!.repositoryName }, ...rest];
  if (registry.accountId === BIG_ACCOUNT && registry.region === BIG_REGION) {
    registry.repositories = Array.from(
      { length: BIG_TAGGED + BIG_UNTAGGED },
      (_, i): RepositorySnapshot => ({
        repositoryName: `bulk/service-${String(i).padStart(3, '0')}`,
        ...(i < BIG_TAGGED ? { tags: { team: `team-${i % 7}`, index: String(i) } } : {}),
      }),
    );
  }
}
const TARGETS = ACCOUNTS * REGIONS.length;
const REPOSITORIES = world.registries.reduce((n, r) => n + r.repositories.length, 0);
const localAws = useLocalAws(world);
useCallerEnvironment();

/** The registries as a scan that reads tags must give them back: an untagged repository has `{}`. */
const expectedRepositories = [...world.registries]
  .sort(compareTargets)
  .map((r) => r.repositories.map(({ repositoryName, tags }) => ({ repositoryName, tags: tags ?? {} })));

const refuseGetResources = (accountId?: string) =>
  localAws.current.setFaults({
    rules: [
      {
        service: 'tagging',
        operation: 'GetResources',
        error: 'access-denied',
        ...(accountId ? { accountId } : {}),
      },
    ],
  });

describe('repository tags read in bulk', () => {
  it('gives the same repositories, and so the same facts, as one ListTagsForResource per repository', async () => {
    const bulk = await scan(localAws.current, { regions: REGIONS, readRepositoryTags: true });
    expect(callsOf(localAws.current, 'ListTagsForResource')).toEqual([]);
    // One page per registry, three for the one of 230 tagged repositories.
    expect(callsOf(localAws.current, 'GetResources')).toHaveLength(TARGETS + 2);

    localAws.current.reset();
    refuseGetResources();
    const perRepository = await scan(localAws.current, { regions: REGIONS, readRepositoryTags: true });
    expect(callsOf(localAws.current, 'ListTagsForResource')).toHaveLength(REPOSITORIES);

    expect(bulk.errors).toEqual([]);
    expect(bulk.registries.map((r) => r.repositories)).toEqual(expectedRepositories);
    expect(bulk.registries).toEqual(perRepository.registries);
    expect(bulk.registries.map(buildFacts)).toEqual(perRepository.registries.map(buildFacts));
  });

  it('pages through a registry of more than 100 tagged repositories, 100 at a time', async () => {
    const result = await scan(localAws.current, { regions: REGIONS, readRepositoryTags: true });
    const pages = callsOf(localAws.current, 'GetResources').filter(
      (c) => c.accountId === BIG_ACCOUNT && c.region === BIG_REGION,
    );
    expect(pages).toHaveLength(3);
    const big = result.registries.find((r) => r.accountId === BIG_ACCOUNT && r.region === BIG_REGION);
    expect(big?.repositories.filter((r) => Object.keys(r.tags ?? {}).length > 0)).toHaveLength(BIG_TAGGED);
    expect(big?.repositories[BIG_TAGGED - 1]).toEqual({
      repositoryName: `bulk/service-${BIG_TAGGED - 1}`,
      tags: { team: `team-${(BIG_TAGGED - 1) % 7}`, index: String(BIG_TAGGED - 1) },
    });
  });

  it('falls back to per-repository reads only in the account that refuses GetResources, with a warning per target', async () => {
    const refusing = generatedAccountId(3);
    refuseGetResources(refusing);
    const result = await scan(localAws.current, { regions: REGIONS, readRepositoryTags: true });
    expect(result.errors).toEqual([]);
    expect(result.registries.map((r) => r.repositories)).toEqual(expectedRepositories);
    const perRepositoryReads = callsOf(localAws.current, 'ListTagsForResource');
    expect(new Set(perRepositoryReads.map((c) => c.accountId))).toEqual(new Set([refusing]));
    expect(perRepositoryReads).toHaveLength(3 * REGIONS.length);
    expect(result.warnings).toEqual(
      [...REGIONS].sort().map((region) => ({
        accountId: refusing,
        region,
        operation: 'GetResources',
        errorName: 'AccessDeniedException',
        message: expect.stringContaining('allow tag:GetResources to read them in bulk'),
      })),
    );
  });

  it('reports a GetResources throttled past the retries as that target error, without per-repository reads', async () => {
    const throttled = generatedAccountId(1);
    localAws.current.setFaults({
      rules: [
        {
          service: 'tagging',
          operation: 'GetResources',
          accountId: throttled,
          region: 'us-east-1',
          error: 'throttling',
        },
      ],
    });
    const result = await scan(localAws.current, {
      regions: REGIONS,
      readRepositoryTags: true,
      maxAttempts: 2,
    });
    expect(result.errors).toEqual([
      {
        accountId: throttled,
        region: 'us-east-1',
        operation: 'GetResources',
        errorName: 'ThrottledException',
        message: 'Rate exceeded',
      },
    ]);
    expect(result.registries).toHaveLength(TARGETS - 1);
    expect(callsOf(localAws.current, 'ListTagsForResource')).toEqual([]);
  });

  it('reads every registry when a few GetResources calls are throttled and the retries absorb them', async () => {
    localAws.current.setFaults({ rules: [{ service: 'tagging', error: 'throttling', count: 3 }] });
    const result = await scan(localAws.current, {
      regions: REGIONS,
      readRepositoryTags: true,
      maxAttempts: 3,
    });
    expect(result.errors).toEqual([]);
    expect(result.registries.map((r) => r.repositories)).toEqual(expectedRepositories);
  });
});
