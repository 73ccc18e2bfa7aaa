import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildFacts } from '../../../functions/core/facts/index.js';
import { wildcardMatch } from '../../../functions/core/matching/wildcard.js';
import type { RegistryFacts, RegistrySnapshot, SigningRule } from '../../../functions/core/types.js';
import { rulesAndNames } from '../../support/arbitraries.js';

const registries: fc.Arbitrary<RegistrySnapshot> = fc
  .tuple(rulesAndNames({ minLength: 0, maxLength: 30 }, true), fc.boolean())
  .map(([{ rules, names }, neverConfigured]) => ({
    accountId: '111122223333',
    region: 'us-east-1',
    signingConfiguration: neverConfigured && rules.length === 0 ? null : { rules },
    repositories: names.map((repositoryName) => ({ repositoryName })),
  }));

/** Checked straight from the definition, without the matcher under test. */
function ruleCovers(rule: SigningRule, repositoryName: string): boolean {
  return rule.repositoryFilters?.some((f) => wildcardMatch(f.filter, repositoryName)) ?? true;
}

function forEveryRegistry(check: (registry: RegistrySnapshot, facts: RegistryFacts) => void): void {
  fc.assert(
    fc.property(registries, (registry) => check(registry, buildFacts(registry))),
    { numRuns: 300 },
  );
}

describe('buildFacts properties', () => {
  it('lists as covering rules exactly the rules whose filters match, or that have none', () => {
    forEveryRegistry((registry, facts) => {
      const rules = registry.signingConfiguration?.rules ?? [];
      for (const repo of facts.repositories) {
        const expected = rules.flatMap((rule, i) => (ruleCovers(rule, repo.repositoryName) ? [i] : []));
        expect(repo.ruleIndexes).toEqual(expected);
        expect(repo.covered).toBe(repo.ruleIndexes.length > 0);
      }
    });
  });

  it('gives each repository the sorted, unique profiles of its covering rules', () => {
    forEveryRegistry((registry, facts) => {
      const rules = registry.signingConfiguration?.rules ?? [];
      for (const repo of facts.repositories) {
        const profiles = [...new Set(repo.ruleIndexes.map((i) => rules[i]!.signingProfileArn))].sort();
        expect(repo.signingProfileArns).toEqual(profiles);
      }
    });
  });

  it('counts for each filter the repositories it matches, and for each rule those it covers', () => {
    forEveryRegistry((registry, facts) => {
      const names = registry.repositories.map((r) => r.repositoryName);
      let matchingPairs = 0;
      for (const rule of registry.signingConfiguration?.rules ?? []) {
        for (const f of rule.repositoryFilters ?? []) {
          matchingPairs += names.filter((name) => wildcardMatch(f.filter, name)).length;
        }
      }
      const filterCounts = facts.rules.flatMap((r) => r.filters.map((f) => f.matchCount));
      expect(filterCounts.reduce((sum, n) => sum + n, 0)).toBe(matchingPairs);
      for (const rule of facts.rules) {
        const covering = facts.repositories.filter((repo) => repo.ruleIndexes.includes(rule.index));
        expect(rule.matchCount).toBe(covering.length);
      }
    });
  });

  it('lists the uncovered repositories in snapshot order and counts them consistently', () => {
    forEveryRegistry((registry, facts) => {
      expect(facts.repositories.map((r) => r.repositoryName)).toEqual(
        registry.repositories.map((r) => r.repositoryName),
      );
      const uncovered = facts.repositories.filter((r) => !r.covered).map((r) => r.repositoryName);
      expect(facts.uncoveredRepositories).toEqual(uncovered);
      expect(facts.counts.uncoveredRepositories).toBe(uncovered.length);
      expect(facts.counts.coveredRepositories + uncovered.length).toBe(facts.counts.repositories);
    });
  });

  it('gives every repository lists of its own, shared with no other repository', () => {
    forEveryRegistry((_registry, facts) => {
      const lists = facts.repositories.flatMap((repo) => [
        repo.ruleIndexes,
        repo.signingProfileArns,
        repo.duplicateSigning,
        ...repo.duplicateSigning.map((d) => d.ruleIndexes),
      ]);
      expect(new Set(lists).size).toBe(lists.length);
    });
  });

  it('makes a rule without filters cover every repository', () => {
    forEveryRegistry((_registry, facts) => {
      for (const rule of facts.rules.filter((r) => r.coversAllRepositories)) {
        expect(rule.matchCount).toBe(facts.repositories.length);
        for (const repo of facts.repositories) expect(repo.ruleIndexes).toContain(rule.index);
      }
    });
  });
});
