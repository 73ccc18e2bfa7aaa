import { describe, expect, it } from 'vitest';
import {
  compiledMinimatchMatcher,
  minimatchPerCallMatcher,
  regExpPerFilterMatcher,
} from '../../bench/baseline-matchers.js';
import { worstCaseRegistry } from '../../bench/worst-case-registry.js';
import { checkSigningConfiguration, REPOSITORY_NAME_PATTERN } from '../../functions/core/api-constraints.js';
import { anchorFilter } from '../../functions/core/matching/filter-anchor.js';
import { createNaiveRepositoryMatcher } from '../../functions/core/matching/index.js';

describe('worstCaseRegistry', () => {
  const registry = worstCaseRegistry();
  const rules = registry.signingConfiguration?.rules ?? [];

  it('has 10,000 distinct repositories with valid ECR names', () => {
    const names = registry.repositories.map((r) => r.repositoryName);
    expect(new Set(names).size).toBe(10_000);
    expect(names.filter((name) => !REPOSITORY_NAME_PATTERN.test(name))).toEqual([]);
  });

  it('fills 10 rules with 100 filters each that PutSigningConfiguration would accept', () => {
    expect(rules.map((rule) => rule.repositoryFilters?.length)).toEqual(Array(10).fill(100));
    expect(checkSigningConfiguration(registry.signingConfiguration)).toEqual([]);
  });

  it('mixes literal, prefix, suffix and substring filters', () => {
    const kinds = new Set(
      rules.flatMap((rule) => rule.repositoryFilters ?? []).map((f) => anchorFilter(f.filter).kind),
    );
    expect([...kinds].sort()).toEqual(['literal', 'prefix', 'substring', 'suffix']);
  });

  it('gives the same registry for the same seed and another for another seed', () => {
    expect(worstCaseRegistry({ repositories: 50 })).toEqual(worstCaseRegistry({ repositories: 50 }));
    expect(worstCaseRegistry({ repositories: 50, seed: 7 })).not.toEqual(
      worstCaseRegistry({ repositories: 50 }),
    );
  });
});

describe('baseline matchers', () => {
  it('answer like the naive loop on valid ECR names, so the bench compares the same work', () => {
    const small = worstCaseRegistry({ repositories: 300, filtersPerRule: 30 });
    const rules = small.signingConfiguration?.rules ?? [];
    const reference = createNaiveRepositoryMatcher(rules);
    const baselines = [regExpPerFilterMatcher, compiledMinimatchMatcher, minimatchPerCallMatcher].map(
      (make) => make(rules),
    );
    for (const { repositoryName } of small.repositories) {
      const expected = reference.matchFilters(repositoryName);
      for (const baseline of baselines) expect(baseline.matchFilters(repositoryName)).toEqual(expected);
    }
  });
});
