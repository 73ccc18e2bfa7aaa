import { describe, expect, it } from 'vitest';
import type { RegistrySnapshot } from '../../../functions/core/types.js';
import { ScanSession } from '../../../functions/scan/scan-session.js';
import { useLocalAws, worldWith } from '../local-aws/helpers.js';
import { callsOf, scan, scanConfig, useCallerEnvironment } from './helpers.js';

const CALLER = '111122223333';
const PROFILE_ARN = 'arn:aws:signer:us-east-1:111122223333:/signing-profiles/ecr_signing';
const NOW = Date.now();
const DAY_MS = 86_400_000;

function digest(repository: number, image: number): string {
  return `sha256:${(repository * 1000 + image).toString(16).padStart(64, '0')}`;
}

/** Five images pushed an hour apart (the newest an hour ago) and one 40 days old. */
function imagesOf(repository: number) {
  return [
    {
      imageDigest: digest(repository, 99),
      imageTags: ['ancient'],
      pushedAt: new Date(NOW - 40 * DAY_MS).toISOString(),
    },
    ...Array.from({ length: 5 }, (_, i) => ({
      imageDigest: digest(repository, i),
      imageTags: [`v${i}`],
      pushedAt: new Date(NOW - (5 - i) * 3_600_000).toISOString(),
      signingStatuses: [{ signingProfileArn: PROFILE_ARN, status: 'COMPLETE' as const }],
    })),
  ];
}

const COVERED = ['team/a', 'team/b', 'team/c', 'team/d', 'team/e'];
const registry = (region: string): RegistrySnapshot => ({
  accountId: CALLER,
  region,
  signingConfiguration: {
    rules: [
      {
        signingProfileArn: PROFILE_ARN.replace('us-east-1', region),
        repositoryFilters: [{ filter: 'team/*', filterType: 'WILDCARD_MATCH' }],
      },
    ],
  },
  repositories: [
    // Listed out of name order: sampling visits them by name.
    ...[...COVERED].reverse().map((repositoryName, i) => ({ repositoryName, images: imagesOf(i) })),
    { repositoryName: 'web', images: imagesOf(9) },
  ],
  signingProfiles: [{ profileArn: PROFILE_ARN.replace('us-east-1', region), status: 'Active' }],
});

const localAws = useLocalAws(worldWith([registry('us-east-1'), registry('eu-west-1')]));
useCallerEnvironment();

// Explicit accounts instead of the helper's default Organizations discovery.
const explicit = {
  accounts: [{ accountId: CALLER }],
  organization: undefined,
  regions: ['us-east-1', 'eu-west-1'],
};
const sampling = (overrides = {}) => ({
  imagesPerRepository: 3,
  maxAgeDays: 30,
  statusCallsPerTarget: 200,
  statusCallsPerRun: 20_000,
  ...overrides,
});

describe('image sampling', () => {
  it('reads the newest 3 images of every covered repository within 30 days, newest first, and no image of an uncovered one', async () => {
    const result = await scan(localAws.current, { ...explicit, imageSampling: sampling() });
    const [us] = result.registries;
    for (const repository of us!.repositories.filter((r) => r.repositoryName !== 'web')) {
      expect(repository.images?.map((i) => i.imageTags)).toEqual([['v4'], ['v3'], ['v2']]);
      expect(repository.images?.[0]?.signingStatuses).toEqual([
        { signingProfileArn: PROFILE_ARN, status: 'COMPLETE' },
      ]);
    }
    expect(us!.repositories.find((r) => r.repositoryName === 'web')?.images).toBeUndefined();
    expect(us!.imagesReadAt).toBeDefined();
    expect(result.images).toEqual({ sampled: 30, skippedByBudget: 0 });
    // One listing per covered repository and region, none for `web`.
    expect(callsOf(localAws.current, 'DescribeImages')).toHaveLength(10);
    expect(callsOf(localAws.current, 'DescribeImageSigningStatus')).toHaveLength(30);
  });

  it('reads no image when sampling is off', async () => {
    const result = await scan(localAws.current, {
      ...explicit,
      imageSampling: sampling({ imagesPerRepository: 0 }),
    });
    expect(result.registries[0]!.repositories.every((r) => r.images === undefined)).toBe(true);
    expect(callsOf(localAws.current, 'DescribeImages')).toHaveLength(0);
  });

  it('cuts a target at its budget, listing four repositories at once', async () => {
    const result = await scan(localAws.current, {
      ...explicit,
      regions: ['us-east-1'],
      imageSampling: sampling({ statusCallsPerTarget: 4 }),
    });
    const sampled = result.registries[0]!.repositories.filter((r) => r.images).map((r) => r.repositoryName);
    expect(new Set(sampled)).toEqual(new Set(['team/a', 'team/b']));
    // Four repositories are listed at once: team/b got its newest image of three, team/c and team/d none;
    // team/e was not listed.
    expect(result.images).toEqual({ sampled: 4, skippedByBudget: 8 });
    expect(callsOf(localAws.current, 'DescribeImages')).toHaveLength(4);
    expect(callsOf(localAws.current, 'DescribeImageSigningStatus')).toHaveLength(4);
  });

  it('starts at the cursor and wraps around, so small budgets rotate over every repository', async () => {
    const session = new ScanSession(
      scanConfig(localAws.current, {
        ...explicit,
        regions: ['us-east-1'],
        imageSampling: sampling({ statusCallsPerTarget: 6 }),
      }),
    );
    try {
      const scanner = await session.scanner();
      const visited: string[][] = [];
      let cursor: string | undefined;
      for (let run = 0; run < 3; run++) {
        const scanned = await scanner.scan({
          accountId: CALLER,
          region: 'us-east-1',
          ...(cursor ? { imageCursor: cursor } : {}),
        });
        visited.push(
          scanned.registry.repositories
            .filter((r) => r.images)
            .map((r) => r.repositoryName)
            .sort(),
        );
        cursor = scanned.imageSampling?.nextCursor ?? undefined;
      }
      expect(visited).toEqual([
        ['team/a', 'team/b'],
        ['team/c', 'team/d'],
        ['team/a', 'team/e'],
      ]);
    } finally {
      session.close();
    }
  });

  it('shares the run budget across targets', async () => {
    const result = await scan(localAws.current, {
      ...explicit,
      imageSampling: sampling({ statusCallsPerRun: 5 }),
    });
    expect(result.images.sampled).toBe(5);
    expect(callsOf(localAws.current, 'DescribeImageSigningStatus')).toHaveLength(5);
    expect(result.images.skippedByBudget).toBeGreaterThan(0);
  });

  it('turns AccessDenied on the image calls into a warning for the target, not a failed target', async () => {
    localAws.current.setFaults({
      rules: [
        {
          service: 'ecr',
          operation: 'DescribeImageSigningStatus',
          region: 'eu-west-1',
          error: 'access-denied',
        },
      ],
    });
    const result = await scan(localAws.current, { ...explicit, imageSampling: sampling() });
    expect(result.errors).toEqual([]);
    expect(result.registries).toHaveLength(2);
    expect(result.warnings).toEqual([
      expect.objectContaining({
        accountId: CALLER,
        region: 'eu-west-1',
        errorName: 'AccessDeniedException',
        message: expect.stringContaining('ecr:DescribeImageSigningStatus'),
      }),
    ]);
    expect(result.registries.find((r) => r.region === 'us-east-1')?.repositories[0]?.images).toHaveLength(3);
  });

  it('retries a throttled status read', async () => {
    localAws.current.setFaults({
      rules: [{ service: 'ecr', operation: 'DescribeImageSigningStatus', error: 'throttling', count: 2 }],
    });
    const result = await scan(localAws.current, {
      ...explicit,
      regions: ['us-east-1'],
      imageSampling: sampling(),
    });
    expect(result.errors).toEqual([]);
    expect(result.images.sampled).toBe(15);
  });
});
