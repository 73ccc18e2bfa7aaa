import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import factsSchema from '../../../functions/core/facts/facts.schema.json' with { type: 'json' };
import { buildFacts } from '../../../functions/core/facts/index.js';
import type { RegistrySnapshot } from '../../../functions/core/types.js';

const prodProfile = 'arn:aws:signer:us-east-1:111122223333:/signing-profiles/prod_signing';
const devProfile = 'arn:aws:signer:eu-west-1:444455556666:/signing-profiles/dev_signing';

function registry(overrides: Partial<RegistrySnapshot> = {}): RegistrySnapshot {
  return {
    accountId: '111122223333',
    region: 'us-east-1',
    signingConfiguration: {
      rules: [
        {
          signingProfileArn: prodProfile,
          repositoryFilters: [{ filter: '*prod*', filterType: 'WILDCARD_MATCH' }],
        },
        {
          signingProfileArn: devProfile,
          repositoryFilters: [
            { filter: 'team/*', filterType: 'WILDCARD_MATCH' },
            { filter: 'nothing-matches', filterType: 'WILDCARD_MATCH' },
          ],
        },
        { signingProfileArn: prodProfile },
      ],
    },
    repositories: [
      { repositoryName: 'team/api-prod', tags: { signing: 'required' } },
      { repositoryName: 'web' },
    ],
    signingProfiles: [{ profileArn: devProfile, status: 'Revoked', platformId: 'Notation-OCI-SHA384-ECDSA' }],
    ...overrides,
  };
}

describe('buildFacts', () => {
  it('lists the rules and sorted unique profiles that cover each repository', () => {
    const facts = buildFacts(registry());
    expect(facts.repositories).toEqual([
      {
        repositoryName: 'team/api-prod',
        tags: { signing: 'required' },
        covered: true,
        ruleIndexes: [0, 1, 2],
        signingProfileArns: [prodProfile, devProfile].sort(),
        duplicateSigning: [{ signingProfileArn: prodProfile, ruleIndexes: [0, 2] }],
        images: [],
      },
      {
        repositoryName: 'web',
        tags: {},
        covered: true,
        ruleIndexes: [2],
        signingProfileArns: [prodProfile],
        duplicateSigning: [],
        images: [],
      },
    ]);
  });

  it('judges each sampled image, newest first, against the profiles covering its repository now', () => {
    const digest = (n: number) => `sha256:${String(n).padStart(64, '0')}`;
    const facts = buildFacts(
      registry({
        imagesReadAt: '2026-12-03T12:00:00Z',
        repositories: [
          {
            repositoryName: 'web',
            images: [
              {
                imageDigest: digest(1),
                imageTags: ['old'],
                pushedAt: '2026-12-03T10:00:00Z',
                signingStatuses: [
                  { signingProfileArn: prodProfile, status: 'FAILED', failureCode: 'X', failureReason: 'y' },
                ],
              },
              {
                imageDigest: digest(3),
                pushedAt: '2026-12-03T11:59:30Z',
                signingStatuses: [{ signingProfileArn: prodProfile, status: 'IN_PROGRESS' }],
              },
              {
                imageDigest: digest(2),
                imageTags: ['new'],
                pushedAt: '2026-12-03T11:00:00Z',
                signingStatuses: [{ signingProfileArn: prodProfile, status: 'COMPLETE' }],
              },
            ],
          },
          {
            repositoryName: 'team/api-prod',
            images: [{ imageDigest: digest(4), pushedAt: '2026-12-03T11:00:00Z' }],
          },
        ],
      }),
    );
    const web = facts.repositories.find((r) => r.repositoryName === 'web')!;
    expect(
      web.images.map((i) => [
        i.imageDigest,
        i.minutesSincePush,
        i.signedByEveryExpectedProfile,
        i.supersededBySignedImage,
      ]),
    ).toEqual([
      [digest(3), 0, false, false],
      [digest(2), 60, true, false],
      [digest(1), 120, false, true],
    ]);
    expect(web.images[2]).toMatchObject({
      expectedProfileArns: [prodProfile],
      missingProfileArns: [],
      imageTags: ['old'],
    });
    const api = facts.repositories.find((r) => r.repositoryName === 'team/api-prod')!;
    expect(api.images[0]!.missingProfileArns).toEqual([devProfile, prodProfile].sort());
    expect(facts.imageSigning).toEqual({
      imagesSampled: 4,
      complete: 1,
      inProgress: 1,
      failed: 1,
      missing: 2,
    });
  });

  it('has no age for an image whose reading time is unknown', () => {
    const facts = buildFacts(
      registry({
        repositories: [
          {
            repositoryName: 'web',
            images: [{ imageDigest: `sha256:${'0'.repeat(64)}`, pushedAt: '2026-12-03T10:00:00Z' }],
          },
        ],
      }),
    );
    expect(facts.repositories[0]!.images[0]!.minutesSincePush).toBeNull();
  });

  it('counts the repositories each rule and filter matches', () => {
    const facts = buildFacts(registry());
    expect(facts.rules.map((r) => r.matchCount)).toEqual([1, 1, 2]);
    expect(facts.rules[1]!.filters.map((f) => f.matchCount)).toEqual([1, 0]);
    expect(facts.rules[2]!.coversAllRepositories).toBe(true);
  });

  it('parses profile ARNs and attaches known statuses', () => {
    const facts = buildFacts(registry());
    const dev = facts.profiles.find((p) => p.profileArn === devProfile)!;
    expect(dev).toMatchObject({
      profileName: 'dev_signing',
      region: 'eu-west-1',
      accountId: '444455556666',
      status: 'Revoked',
      platformId: 'Notation-OCI-SHA384-ECDSA',
      sameRegionAsRegistry: false,
      ruleIndexes: [1],
    });
    expect(facts.profiles.find((p) => p.profileArn === prodProfile)).toMatchObject({
      status: null,
      ruleIndexes: [0, 2],
    });
  });

  it('keeps never configured and configured with no rules distinguishable', () => {
    const never = buildFacts(registry({ signingConfiguration: null }));
    const empty = buildFacts(registry({ signingConfiguration: { rules: [] } }));
    expect(never.signingConfigured).toBe(false);
    expect(never.signingConfiguration).toBeNull();
    expect(empty.signingConfigured).toBe(true);
    expect(empty.signingConfiguration).toEqual({ rules: [] });
    for (const facts of [never, empty]) {
      expect(facts.uncoveredRepositories).toEqual(['team/api-prod', 'web']);
      expect(facts.counts.coveredRepositories).toBe(0);
    }
  });

  it('keeps the profiles of each rule apart in a snapshot with more rules than ECR allows', () => {
    const rules = Array.from({ length: 40 }, (_, i) => ({
      signingProfileArn: i < 32 ? prodProfile : devProfile,
      repositoryFilters: [{ filter: `repo-${i}`, filterType: 'WILDCARD_MATCH' as const }],
    }));
    const facts = buildFacts(
      registry({
        signingConfiguration: { rules },
        repositories: [{ repositoryName: 'repo-0' }, { repositoryName: 'repo-32' }],
      }),
    );
    expect(facts.repositories.map((r) => r.signingProfileArns)).toEqual([[prodProfile], [devProfile]]);
  });

  it('produces documents that follow the published facts schema', () => {
    const validate = new Ajv2020({ strict: true, allErrors: true }).compile(factsSchema);
    for (const snapshot of [
      registry(),
      registry({ signingConfiguration: null, account: { name: 'prod', tags: { env: 'prod' } } }),
      registry({
        imagesReadAt: '2026-12-03T12:00:00Z',
        repositories: [
          {
            repositoryName: 'web',
            images: [
              {
                imageDigest: `sha256:${'1'.repeat(64)}`,
                pushedAt: '2026-12-03T10:00:00Z',
                signingStatuses: [
                  { signingProfileArn: prodProfile, status: 'FAILED', failureCode: 'X', failureReason: 'y' },
                ],
              },
            ],
          },
        ],
      }),
    ]) {
      const ok = validate(buildFacts(snapshot));
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    }
  });
});
