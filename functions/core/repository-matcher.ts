/**
 * Answers "which filters of which rules match this repository name" for a whole
 * signing configuration at once. Facts building calls it once per repository.
 *
 * The filters are indexed so that a name only meets the filters whose literal text it
 * can contain: exact names by hash lookup, the rest under their longest literal run in
 * a prefix trie, a suffix trie or a substring automaton. Each structure is walked once
 * per name, and only candidates with more than one literal run are checked with
 * `wildcardMatch`, so the work stays linear and no filter text ever becomes a RegExp.
 */
import { CharTrie } from './char-trie.js';
import { anchorFilter, normalizeFilter } from './filter-anchor.js';
import { SubstringAutomaton } from './substring-automaton.js';
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

/** One filter of one rule, in configuration order (rule, then filter). */
export interface ListedFilter {
  ruleIndex: number;
  filterIndex: number;
  pattern: string;
}

export function listFilters(rules: readonly SigningRule[]): ListedFilter[] {
  return rules.flatMap((rule, ruleIndex) =>
    (rule.repositoryFilters ?? []).map((f, filterIndex) => ({ ruleIndex, filterIndex, pattern: f.filter })),
  );
}

/** The plain loop over every filter: the reference the indexed matcher must agree with. */
export function createNaiveRepositoryMatcher(rules: readonly SigningRule[]): RepositoryMatcher {
  const filters = listFilters(rules);
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

/** One distinct filter text, however many rules repeat it: it is matched once per name. */
interface DistinctFilter {
  pattern: string;
  /** True when reaching the filter through its anchor already proves the match. */
  proven: boolean;
  /** Positions of its (rule, filter) pairs in configuration order, ascending. */
  positions: number[];
}

/** Builds a matcher over the filters of the given rules (rules without filters are not indexed). */
export function createRepositoryMatcher(rules: readonly SigningRule[]): RepositoryMatcher {
  const listed = listFilters(rules);
  const distinct = new Map<string, DistinctFilter>();
  listed.forEach((f, position) => {
    const pattern = normalizeFilter(f.pattern);
    const known = distinct.get(pattern);
    if (known) known.positions.push(position);
    else distinct.set(pattern, { pattern, proven: false, positions: [position] });
  });

  const exact = new Map<string, DistinctFilter>();
  const everything: DistinctFilter[] = [];
  const byPrefix = new CharTrie<DistinctFilter>(false);
  const bySuffix = new CharTrie<DistinctFilter>(true);
  const bySubstring: [string, DistinctFilter][] = [];
  for (const filter of distinct.values()) {
    const anchor = anchorFilter(filter.pattern);
    if (anchor.kind === 'literal') exact.set(anchor.key, filter);
    else if (anchor.kind === 'everything') everything.push(filter);
    else {
      filter.proven = anchor.proves;
      if (anchor.kind === 'prefix') byPrefix.add(anchor.key, filter);
      else if (anchor.kind === 'suffix') bySuffix.add(anchor.key, filter);
      else bySubstring.push([anchor.key, filter]);
    }
  }
  const substrings = new SubstringAutomaton(bySubstring);

  // Scratch reused across calls: matchFilters never calls out, so one name's state cannot leak into another's.
  const candidates: DistinctFilter[] = [];
  const hits: DistinctFilter[] = [];
  const positions = new Int32Array(listed.length);
  return {
    matchFilters(repositoryName) {
      hits.length = 0;
      const exactHit = exact.get(repositoryName);
      if (exactHit) hits.push(exactHit);
      for (const filter of everything) hits.push(filter);
      candidates.length = 0;
      byPrefix.collect(repositoryName, candidates);
      bySuffix.collect(repositoryName, candidates);
      substrings.collect(repositoryName, candidates);
      for (const filter of candidates) {
        if (filter.proven || wildcardMatch(filter.pattern, repositoryName)) hits.push(filter);
      }
      if (hits.length === 0) return [];
      let count = 0;
      for (const hit of hits) for (const position of hit.positions) positions[count++] = position;
      // Each hit's positions ascend already; only several hits need merging into configuration order.
      const ordered = hits.length > 1 ? positions.subarray(0, count).sort() : positions;
      const matches: FilterMatch[] = new Array(count);
      for (let i = 0; i < count; i++) {
        const { ruleIndex, filterIndex } = listed[ordered[i]!]!;
        matches[i] = { ruleIndex, filterIndex };
      }
      return matches;
    },
  };
}
