import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createNaiveRepositoryMatcher,
  createRepositoryMatcher,
} from '../../../functions/core/matching/index.js';
import type { SigningRule } from '../../../functions/core/types.js';
import { PROFILES, rulesAndNames } from '../../support/arbitraries.js';

function rule(...filters: string[]): SigningRule {
  return {
    signingProfileArn: PROFILES[0],
    repositoryFilters: filters.map((filter) => ({ filter, filterType: 'WILDCARD_MATCH' })),
  };
}

describe('createRepositoryMatcher properties', () => {
  it('returns exactly what the naive loop over every filter returns, in the same order', () => {
    fc.assert(
      fc.property(rulesAndNames({ minLength: 1, maxLength: 20 }), ({ rules, names }) => {
        const indexed = createRepositoryMatcher(rules);
        const naive = createNaiveRepositoryMatcher(rules);
        for (const name of names) expect(indexed.matchFilters(name)).toEqual(naive.matchFilters(name));
      }),
      { numRuns: 1000 },
    );
  });

  it('masks exactly the rules of the naive matches and counts every filter match over the names', () => {
    fc.assert(
      fc.property(rulesAndNames({ minLength: 1, maxLength: 20 }), ({ rules, names }) => {
        const indexed = createRepositoryMatcher(rules);
        const naive = createNaiveRepositoryMatcher(rules);
        const expectedCounts = rules.map((r) => (r.repositoryFilters ?? []).map(() => 0));
        for (const name of names) {
          const matches = naive.matchFilters(name);
          for (const m of matches) expectedCounts[m.ruleIndex]![m.filterIndex]!++;
          const expectedMask = matches.reduce((mask, m) => mask | (1 << m.ruleIndex), 0);
          expect(indexed.coveringRuleMask(name)).toBe(expectedMask);
        }
        expect(indexed.filterMatchCounts()).toEqual(expectedCounts);
      }),
      { numRuns: 1000 },
    );
  });

  it('gives the same answer however often and in whatever order names are asked', () => {
    fc.assert(
      fc.property(rulesAndNames({ minLength: 2, maxLength: 10 }), ({ rules, names }) => {
        const matcher = createRepositoryMatcher(rules);
        const first = names.map((name) => matcher.matchFilters(name));
        const reversed = [...names].reverse().map((name) => matcher.matchFilters(name));
        expect(reversed.reverse()).toEqual(first);
      }),
      { numRuns: 300 },
    );
  });
});

describe('createRepositoryMatcher', () => {
  const rules = [
    rule('myapp/*', '*/production', '*prod*', 'team/api', '*'),
    { signingProfileArn: PROFILES[1] },
    rule('a*b', '*prod*', 'team/api', 'x*prod*y', 'team/*-v*'),
  ];
  const matcher = createRepositoryMatcher(rules);
  const pairs = (name: string) => matcher.matchFilters(name).map((m) => [m.ruleIndex, m.filterIndex]);

  it('matches prefix, suffix, infix, exact and catch-all filters, ordered by rule then filter', () => {
    expect(pairs('myapp/production')).toEqual([
      [0, 0],
      [0, 1],
      [0, 2],
      [0, 4],
      [2, 1],
    ]);
  });

  it('reports a filter text repeated in several rules once per rule', () => {
    expect(pairs('team/api')).toEqual([
      [0, 3],
      [0, 4],
      [2, 2],
    ]);
  });

  it('matches a star against the empty sequence', () => {
    expect(pairs('ab')).toEqual([
      [0, 4],
      [2, 0],
    ]);
    expect(pairs('xprody')).toEqual([
      [0, 2],
      [0, 4],
      [2, 1],
      [2, 3],
    ]);
  });

  it('requires a filter to match the whole name', () => {
    expect(pairs('team/api2')).toEqual([[0, 4]]);
    expect(pairs('myapp')).toEqual([[0, 4]]);
    expect(pairs('team/api-v2')).toEqual([
      [0, 4],
      [2, 4],
    ]);
  });

  it('does not index rules without filters: they cover every name elsewhere', () => {
    const onlyCatchAll = createRepositoryMatcher([{ signingProfileArn: PROFILES[0] }]);
    expect(onlyCatchAll.matchFilters('anything')).toEqual([]);
  });

  it('returns nothing for a configuration without rules', () => {
    expect(createRepositoryMatcher([]).matchFilters('team/api')).toEqual([]);
  });

  it('rejects a many-star filter that nearly matches a long name', () => {
    const many = createRepositoryMatcher([rule(`${'*a'.repeat(10)}*b`)]);
    expect(many.matchFilters('a'.repeat(256))).toEqual([]);
    expect(many.matchFilters(`${'a'.repeat(256)}b`)).toEqual([{ ruleIndex: 0, filterIndex: 0 }]);
  }, 10_000);
});
