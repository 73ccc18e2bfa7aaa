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

import { keepShapesAlive } from '../keep-shapes.js';
import type { SigningRule } from '../types.js';
import { CharTrie } from './char-trie.js';
import { anchorFilter, normalizeFilter } from './filter-anchor.js';
import { ScratchList } from './scratch-list.js';
import { SubstringAutomaton } from './substring-automaton.js';
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
  /** Positions of its (rule, filter) pairs in configuration order, ascending. */
  positions: number[];
  /** True when reaching the filter through its anchor already proves the match. */
  proven: boolean;
  /** The literal text before the first star and after the last, and the count of non-star characters. */
  head: string;
  tail: string;
  literalLength: number;
}

function distinctFilter(pattern: string, positions: number[], proven: boolean): DistinctFilter {
  const stars = pattern.split('*').length - 1;
  return {
    pattern,
    positions,
    proven,
    head: stars === 0 ? pattern : pattern.slice(0, pattern.indexOf('*')),
    tail: stars === 0 ? pattern : pattern.slice(pattern.lastIndexOf('*') + 1),
    literalLength: pattern.length - stars,
  };
}

/**
 * Whether a candidate reached through its anchor matches. The length and both ends are
 * necessary conditions that native string methods test fast, so most candidates that
 * fail are turned away before the character-by-character walk of wildcardMatch.
 */
function candidateMatches(filter: DistinctFilter, name: string): boolean {
  return (
    filter.proven ||
    (name.length >= filter.literalLength &&
      name.startsWith(filter.head) &&
      name.endsWith(filter.tail) &&
      wildcardMatch(filter.pattern, name))
  );
}

/** Builds a matcher over the filters of the given rules (rules without filters are not indexed). */
export function createRepositoryMatcher(rules: readonly SigningRule[]): RepositoryMatcher {
  return new IndexedRepositoryMatcher(rules);
}

/**
 * A class rather than a closure: every matcher then shares one `matchFilters` function,
 * so optimised callers stay valid from one registry's matcher to the next instead of
 * being thrown away each time the previous matcher is collected.
 */
class IndexedRepositoryMatcher implements RepositoryMatcher {
  private readonly listed: ListedFilter[];
  private readonly exact = new Map<string, DistinctFilter>();
  private readonly everything: DistinctFilter[] = [];
  private readonly byPrefix = new CharTrie<DistinctFilter>(false);
  private readonly bySuffix = new CharTrie<DistinctFilter>(true);
  private readonly bySubstring: SubstringAutomaton<DistinctFilter>;
  // Scratch reused across calls: matchFilters never calls out, so one name's state cannot leak into another's.
  private readonly candidates = new ScratchList<DistinctFilter>();
  private readonly hits = new ScratchList<DistinctFilter>();
  private readonly positions: Int32Array;

  constructor(rules: readonly SigningRule[]) {
    this.listed = listFilters(rules);
    this.positions = new Int32Array(this.listed.length);
    const positionsByPattern = new Map<string, number[]>();
    this.listed.forEach((f, position) => {
      const pattern = normalizeFilter(f.pattern);
      const positions = positionsByPattern.get(pattern);
      if (positions) positions.push(position);
      else positionsByPattern.set(pattern, [position]);
    });
    const substringKeys: [string, DistinctFilter][] = [];
    for (const [pattern, positions] of positionsByPattern) {
      const anchor = anchorFilter(pattern);
      const filter = distinctFilter(pattern, positions, anchor.proves);
      if (anchor.kind === 'literal') this.exact.set(anchor.key, filter);
      else if (anchor.kind === 'everything') this.everything.push(filter);
      else if (anchor.kind === 'prefix') this.byPrefix.add(anchor.key, filter);
      else if (anchor.kind === 'suffix') this.bySuffix.add(anchor.key, filter);
      else substringKeys.push([anchor.key, filter]);
    }
    this.bySubstring = new SubstringAutomaton(substringKeys);
  }

  matchFilters(repositoryName: string): FilterMatch[] {
    const { candidates, hits, positions, listed } = this;
    hits.clear();
    const exactHit = this.exact.get(repositoryName);
    if (exactHit) hits.push(exactHit);
    for (const filter of this.everything) hits.push(filter);
    candidates.clear();
    this.byPrefix.collect(repositoryName, candidates);
    this.bySuffix.collect(repositoryName, candidates);
    this.bySubstring.collect(repositoryName, candidates);
    for (let i = 0; i < candidates.size; i++) {
      const candidate = candidates.at(i);
      if (candidateMatches(candidate, repositoryName)) hits.push(candidate);
    }
    if (hits.size === 0) return [];
    let count = 0;
    for (let i = 0; i < hits.size; i++)
      for (const position of hits.at(i).positions) positions[count++] = position;
    // Each hit's positions ascend already; only several hits need merging into configuration order.
    if (hits.size > 1) sortAscending(positions, count);
    const matches: FilterMatch[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const { ruleIndex, filterIndex } = listed[positions[i]!]!;
      matches[i] = { ruleIndex, filterIndex };
    }
    return matches;
  }
}

keepShapesAlive(createRepositoryMatcher([]));

/**
 * Sorts `values[0, count)` in place: insertion sort for the handful of matches a name
 * usually has (no allocation), the built-in sort on a view when there are many.
 */
function sortAscending(values: Int32Array, count: number): void {
  if (count > 32) {
    values.subarray(0, count).sort();
    return;
  }
  for (let i = 1; i < count; i++) {
    const value = values[i]!;
    let j = i - 1;
    for (; j >= 0 && values[j]! > value; j--) values[j + 1] = values[j]!;
    values[j + 1] = value;
  }
}
