import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalConfiguration } from '../../../functions/core/drift/index.js';
import { buildFacts } from '../../../functions/core/facts/index.js';
import { compareStrings } from '../../../functions/core/ordering.js';
import { compareCoverage } from '../../../functions/core/planning/coverage-change.js';
import { mergeConfigurations } from '../../../functions/core/planning/merge-configuration.js';
import type { SigningConfiguration } from '../../../functions/core/types.js';
import { rulesAndNames } from '../../support/arbitraries.js';

const prod = 'arn:aws:signer:us-east-1:999988887777:/signing-profiles/prod_signing';
const dev = 'arn:aws:signer:us-east-1:999988887777:/signing-profiles/dev_signing';
const target = { accountId: '111122223333', region: 'us-east-1' };

describe('compareCoverage', () => {
  it('lists the profiles each changed repository gains and loses, sorted by name', () => {
    const before = { rules: [{ signingProfileArn: dev }] };
    const after = {
      rules: [
        {
          signingProfileArn: prod,
          repositoryFilters: [{ filter: '*prod*', filterType: 'WILDCARD_MATCH' as const }],
        },
      ],
    };
    expect(compareCoverage(target, before, after, ['web', 'api-prod'])).toEqual({
      changed: [
        { repositoryName: 'api-prod', before: [dev], after: [prod], gained: [prod], lost: [dev] },
        { repositoryName: 'web', before: [dev], after: [], gained: [], lost: [dev] },
      ],
      unchangedCount: 0,
    });
  });

  it('counts repositories whose profiles stay the same, each name once', () => {
    const config = { rules: [{ signingProfileArn: prod }] };
    expect(compareCoverage(target, null, { rules: [] }, ['web', 'web', 'api'])).toEqual({
      changed: [],
      unchangedCount: 2,
    });
    expect(
      compareCoverage(target, config, { rules: [{ signingProfileArn: prod }, { signingProfileArn: prod }] }, [
        'web',
      ]),
    ).toEqual({ changed: [], unchangedCount: 1 });
  });
});

describe('compareCoverage against facts built for each configuration', () => {
  const profilesOf = (config: SigningConfiguration | null, names: readonly string[]) =>
    new Map(
      buildFacts({
        ...target,
        signingConfiguration: config,
        repositories: names.map((repositoryName) => ({ repositoryName })),
      }).repositories.map((r) => [r.repositoryName, r.signingProfileArns]),
    );

  const namesWhoseProfilesChange = (
    names: readonly string[],
    was: ReadonlyMap<string, readonly string[]>,
    is: ReadonlyMap<string, readonly string[]>,
  ) => names.filter((n) => JSON.stringify(was.get(n)) !== JSON.stringify(is.get(n))).sort(compareStrings);

  it('finds the same changes as comparing the two facts documents, with or without the current facts', () => {
    fc.assert(
      fc.property(
        rulesAndNames({ minLength: 0, maxLength: 6 }),
        rulesAndNames({ minLength: 0, maxLength: 6 }),
        (before, after) => {
          const names = [...new Set([...before.names, ...after.names])];
          const beforeConfig = { rules: before.rules };
          const afterConfig = { rules: after.rules };
          const was = profilesOf(beforeConfig, names);
          const is = profilesOf(afterConfig, names);
          const expected = namesWhoseProfilesChange(names, was, is);
          const plain = compareCoverage(target, beforeConfig, afterConfig, names);
          const withCurrent = compareCoverage(
            target,
            beforeConfig,
            afterConfig,
            names,
            (n) => was.get(n) ?? [],
          );
          expect(plain.changed.map((c) => c.repositoryName)).toEqual(expected);
          for (const change of plain.changed) {
            expect(change.before).toEqual(was.get(change.repositoryName));
            expect(change.after).toEqual(is.get(change.repositoryName));
          }
          expect(withCurrent).toEqual(plain);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('finds the same changes when after widens before (a merge), where it matches only the added filters', () => {
    fc.assert(
      fc.property(
        rulesAndNames({ minLength: 0, maxLength: 6 }),
        rulesAndNames({ minLength: 0, maxLength: 6 }),
        (before, desired) => {
          const names = [...new Set([...before.names, ...desired.names])];
          const beforeConfig = canonicalConfiguration({ rules: before.rules });
          const afterConfig = mergeConfigurations(beforeConfig, { rules: desired.rules });
          const was = profilesOf(beforeConfig, names);
          const is = profilesOf(afterConfig, names);
          const comparison = compareCoverage(
            target,
            beforeConfig,
            afterConfig,
            names,
            (n) => was.get(n) ?? [],
          );
          const expected = namesWhoseProfilesChange(names, was, is);
          expect(comparison.changed.map((c) => c.repositoryName)).toEqual(expected);
          for (const change of comparison.changed) {
            expect(change.after).toEqual(is.get(change.repositoryName));
            expect(change.lost).toEqual([]);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
