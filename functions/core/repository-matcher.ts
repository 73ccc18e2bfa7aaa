/**
 * Answers "which filters of which rules match this repository name" for a whole
 * signing configuration at once. Facts building calls it once per repository.
 */
import type { SigningRule } from './types.js';
import { wildcardMatch } from './wildcard.js';

/** One filter of one rule that matched. */
export interface FilterMatch {
  ruleIndex: number;
  filterIndex: number;
}

export interface RepositoryMatcher {
  /** Every (rule, filter) pair whose filter matches the name, ordered by rule then filter. */
  matchFilters(repositoryName: string): FilterMatch[];
}

/** Builds a matcher over the filters of the given rules (rules without filters are not indexed). */
export function createRepositoryMatcher(rules: readonly SigningRule[]): RepositoryMatcher {
  const filters: { ruleIndex: number; filterIndex: number; pattern: string }[] = [];
  rules.forEach((rule, ruleIndex) => {
    (rule.repositoryFilters ?? []).forEach((f, filterIndex) => {
      filters.push({ ruleIndex, filterIndex, pattern: f.filter });
    });
  });
  return {
    matchFilters(repositoryName) {
      const out: FilterMatch[] = [];
      for (const f of filters) {
        if (wildcardMatch(f.pattern, repositoryName))
          out.push({ ruleIndex: f.ruleIndex, filterIndex: f.filterIndex });
      }
      return out;
    },
  };
}
