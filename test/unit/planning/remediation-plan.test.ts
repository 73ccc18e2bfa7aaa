import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalConfiguration } from '../../../functions/core/drift/index.js';
import { buildFacts } from '../../../functions/core/facts/index.js';
import { planRemediation, type RemediationStrategy } from '../../../functions/core/planning/index.js';
import type { SigningConfiguration, SigningRule } from '../../../functions/core/types.js';
import {
  configurationArbitrary,
  REPOSITORY_NAMES,
  registryConfigurationArbitrary,
} from '../../support/signing-arbitraries.js';

const profile = (name: string) => `arn:aws:signer:us-east-1:999988887777:/signing-profiles/${name}`;
const prod = profile('prod_signing');
const dev = profile('dev_signing');
const repositories = ['web', 'payments/api', 'payments/production', 'team/tool'];

function rule(signingProfileArn: string, ...filters: string[]): SigningRule {
  return filters.length === 0
    ? { signingProfileArn }
    : {
        signingProfileArn,
        repositoryFilters: filters.map((filter) => ({ filter, filterType: 'WILDCARD_MATCH' })),
      };
}

function plan(
  actual: SigningConfiguration | null,
  desired: SigningConfiguration,
  strategy?: RemediationStrategy,
  repositoryNames: readonly string[] = repositories,
) {
  return planRemediation({
    accountId: '111122223333',
    region: 'us-east-1',
    actual,
    desired,
    repositories: repositoryNames,
    ...(strategy ? { strategy } : {}),
  });
}

/** Profiles that sign each repository under the configuration. */
function profilesOf(config: SigningConfiguration | null, names: readonly string[]): Map<string, string[]> {
  const facts = buildFacts({
    accountId: '111122223333',
    region: 'us-east-1',
    signingConfiguration: config,
    repositories: names.map((repositoryName) => ({ repositoryName })),
  });
  return new Map(facts.repositories.map((r) => [r.repositoryName, r.signingProfileArns]));
}

describe('planRemediation with merge', () => {
  it('is the default strategy', () => {
    expect(plan(null, { rules: [rule(prod)] }).strategy).toBe('merge');
  });

  it('adds a missing rule and keeps the rules the desired configuration does not have', () => {
    const result = plan({ rules: [rule(dev, 'team/*')] }, { rules: [rule(prod, 'payments/*')] });
    expect(result.status).toBe('ready');
    expect(result.after).toEqual(
      canonicalConfiguration({ rules: [rule(dev, 'team/*'), rule(prod, 'payments/*')] }),
    );
    expect(result.changes.map((c) => c.action)).toEqual([
      `add rule for profile ${prod} with filter 'payments/*'`,
    ]);
  });

  it('merges missing filters onto the rule with the same profile', () => {
    const result = plan(
      { rules: [rule(prod, 'web', 'legacy/*')] },
      { rules: [rule(prod, 'payments/*', 'web')] },
    );
    expect(result.after).toEqual({ rules: [rule(prod, 'legacy/*', 'payments/*', 'web')] });
    expect(result.changes.map((c) => c.action)).toEqual([
      `add filter 'payments/*' to rule for profile ${prod}`,
    ]);
  });

  it('merges onto the rule of the profile that shares most filters with the desired rule', () => {
    const result = plan(
      { rules: [rule(prod, 'web'), rule(prod, 'payments/*', 'billing/*')] },
      { rules: [rule(prod, 'payments/*', 'ledger/*')] },
    );
    expect(result.after).toEqual(
      canonicalConfiguration({
        rules: [rule(prod, 'web'), rule(prod, 'billing/*', 'ledger/*', 'payments/*')],
      }),
    );
  });

  it('turns the profile into one rule covering every repository when the desired rule has no filters', () => {
    const result = plan(
      { rules: [rule(prod, 'web'), rule(prod, 'api'), rule(dev)] },
      { rules: [rule(prod)] },
    );
    expect(result.after).toEqual(canonicalConfiguration({ rules: [rule(dev), rule(prod)] }));
    expect(result.repositoriesLosingProfiles).toEqual([]);
    expect(result.changes.map((c) => c.action)).toEqual([
      `remove rule for profile ${prod} with filter 'web'`,
      `widen rule for profile ${prod} with filter 'api' to cover every repository`,
    ]);
  });

  it('is a noop when the registry already has everything the desired configuration has', () => {
    const extra = { rules: [rule(prod, 'web', 'payments/*'), rule(dev)] };
    expect(plan(extra, { rules: [rule(prod, 'web')] })).toMatchObject({
      status: 'noop',
      changes: [],
      refusals: [],
    });
    expect(plan({ rules: [rule(prod)] }, { rules: [rule(prod, 'web')] }).status).toBe('noop');
  });

  it('creates the configuration of a registry never configured', () => {
    const desired = { rules: [rule(prod, 'web'), rule(dev)] };
    const result = plan(null, desired);
    expect(result).toMatchObject({ status: 'ready', before: null, after: canonicalConfiguration(desired) });
    expect(result.changes.map((c) => c.action)).toEqual([
      "create the registry's signing configuration with 2 rules",
    ]);
  });

  it('lists only repositories whose profiles change, and counts the rest', () => {
    const result = plan({ rules: [rule(dev, 'team/*')] }, { rules: [rule(prod, 'payments/*')] });
    expect(result.repositories).toEqual({
      changed: [
        { repositoryName: 'payments/api', before: [], after: [prod], gained: [prod], lost: [] },
        { repositoryName: 'payments/production', before: [], after: [prod], gained: [prod], lost: [] },
      ],
      unchangedCount: 2,
    });
  });

  it('never takes a profile away from a repository and gives each the profiles desired would', () => {
    fc.assert(
      fc.property(
        registryConfigurationArbitrary,
        configurationArbitrary,
        fc.subarray(REPOSITORY_NAMES),
        (actual, desired, names) => {
          const result = plan(actual, desired, 'merge', names);
          const before = profilesOf(actual, names);
          const after = profilesOf(result.after, names);
          const wanted = profilesOf(desired, names);
          for (const name of names) {
            expect(after.get(name)).toEqual(expect.arrayContaining(before.get(name)!));
            expect(after.get(name)).toEqual(expect.arrayContaining(wanted.get(name)!));
          }
          expect(result.repositoriesLosingProfiles).toEqual([]);
          expect(result.refusals.filter((r) => r.startsWith('merge'))).toEqual([]);
        },
      ),
    );
  });

  it('is a noop when planned again on its own result', () => {
    fc.assert(
      fc.property(registryConfigurationArbitrary, configurationArbitrary, (actual, desired) => {
        expect(plan(plan(actual, desired).after, desired).status).toBe('noop');
      }),
    );
  });
});

describe('planRemediation with enforce', () => {
  it('puts exactly the desired configuration, in canonical form', () => {
    fc.assert(
      fc.property(registryConfigurationArbitrary, configurationArbitrary, (actual, desired) => {
        expect(plan(actual, desired, 'enforce').after).toEqual(canonicalConfiguration(desired));
      }),
    );
  });

  it('is ready when it takes profiles away, and names the repositories that lose one', () => {
    const result = plan(
      { rules: [rule(prod, 'payments/*'), rule(dev)] },
      { rules: [rule(prod, 'web')] },
      'enforce',
    );
    expect(result.status).toBe('ready');
    expect(result.repositoriesLosingProfiles).toEqual([
      'payments/api',
      'payments/production',
      'team/tool',
      'web',
    ]);
    expect(result.repositories.changed.find((r) => r.repositoryName === 'web')).toEqual({
      repositoryName: 'web',
      before: [dev],
      after: [prod],
      gained: [prod],
      lost: [dev],
    });
    expect(result.changes.map((c) => c.action)).toEqual([
      `remove rule for profile ${dev} covering every repository`,
      `add filter 'web' to rule for profile ${prod}`,
      `remove filter 'payments/*' from rule for profile ${prod}`,
    ]);
  });

  it('is a noop when the registry already equals the desired configuration up to order', () => {
    const result = plan({ rules: [rule(prod, 'b', 'a')] }, { rules: [rule(prod, 'a', 'b', 'a')] }, 'enforce');
    expect(result.status).toBe('noop');
    expect(result.afterHash).toBe(result.beforeHash);
  });

  it('limits a rule covering every repository to the desired filters', () => {
    const result = plan({ rules: [rule(prod)] }, { rules: [rule(prod, 'web')] }, 'enforce');
    expect(result.changes.map((c) => c.action)).toEqual([
      `limit rule for profile ${prod} covering every repository to filter 'web'`,
    ]);
  });
});

describe('planRemediation refusals', () => {
  const tenProfiles = Array.from({ length: 10 }, (_, i) => rule(profile(`team${i}_signing`)));

  it('refuses a merge that would make 11 rules', () => {
    const result = plan({ rules: tenProfiles }, { rules: [rule(prod)] });
    expect(result.status).toBe('refused');
    expect(result.refusals).toEqual([
      'ECR would reject it: signingConfiguration.rules has 11 rules; at most 10 are allowed',
    ]);
  });

  it('refuses a merge that would give a rule 101 filters', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => `repo${String(i).padStart(3, '0')}`);
    const result = plan({ rules: [rule(prod, ...hundred)] }, { rules: [rule(prod, 'web')] });
    expect(result.status).toBe('refused');
    expect(result.refusals).toEqual([
      'ECR would reject it: signingConfiguration.rules.1.repositoryFilters has 101 filters; between 1 and 100 are allowed',
    ]);
  });

  it('refuses to enforce a desired configuration with a bad profile ARN', () => {
    const bad = 'arn:aws:signer:us-east-1:9999:/signing-profiles/x';
    const result = plan(null, { rules: [{ signingProfileArn: bad }] }, 'enforce');
    expect(result.status).toBe('refused');
    expect(result.refusals).toEqual([
      `ECR would reject it: signingConfiguration.rules.1.signingProfileArn '${bad}' is not a valid Signer signing profile ARN`,
    ]);
  });

  it('gives no refusals to a plan it does not refuse', () => {
    expect(plan({ rules: tenProfiles }, { rules: [rule(profile('team0_signing'))] })).toMatchObject({
      status: 'noop',
      refusals: [],
    });
  });
});
