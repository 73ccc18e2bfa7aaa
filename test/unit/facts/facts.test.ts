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
      },
      {
        repositoryName: 'web',
        tags: {},
        covered: true,
        ruleIndexes: [2],
        signingProfileArns: [prodProfile],
        duplicateSigning: [],
      },
    ]);
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
    ]) {
      const ok = validate(buildFacts(snapshot));
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    }
  });
});
