/**
 * Answers "which filters of which rules match this repository name" for a whole
 * signing configuration at once. Facts building calls it once per repository.
 *
 * The filters are indexed so that a name only meets the filters whose literal text it
 * can contain: exact names by hash lookup, the rest under their rarest literal run in
 * a prefix trie, a suffix trie or a substring automaton. Each structure is walked once
 * per name, and only candidates with more than one literal run are checked, run by run
 * with `indexOf`, so the work stays linear and no filter text ever becomes a RegExp.
 */

import { keepShapesAlive } from '../keep-shapes.js';
import type { SigningRule } from '../types.js';
import { CharTrie } from './char-trie.js';
import { anchorOfRuns, normalizeFilter } from './filter-anchor.js';
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
  /**
   * The rules with a filter matching the name, as a bit mask (bit i for rule i; the
   * configuration has at most MAX_MASKED_RULES rules), with every (rule, filter) match
   * counted for filterMatchCounts. Facts building needs no more than that of each
   * repository, and a broad configuration matches dozens of filters per name: no array
   * of matches is built and none is sorted.
   */
  coveringRuleMask(repositoryName: string): number;
  /** How many names each filter matched over the calls of coveringRuleMask, per rule then filter. */
  filterMatchCounts(): number[][];
}

/** Rules a coverage mask can hold (ECR allows 10 per signing configuration). */
export const MAX_MASKED_RULES = 31;

function checkMaskable(rules: readonly SigningRule[]): void {
  if (rules.length > MAX_MASKED_RULES) {
    throw new RangeError(`a coverage mask holds ${MAX_MASKED_RULES} rules, not ${rules.length}`);
  }
}

/** Zeroed counts shaped like the rules' filters. */
export function zeroCounts(rules: readonly SigningRule[]): number[][] {
  return rules.map((rule) => (rule.repositoryFilters ?? []).map(() => 0));
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
  const matchFilters = (repositoryName: string): FilterMatch[] => {
    const out: FilterMatch[] = [];
    for (const f of filters) {
      if (wildcardMatch(f.pattern, repositoryName))
        out.push({ ruleIndex: f.ruleIndex, filterIndex: f.filterIndex });
    }
    return out;
  };
  return matcherFrom(rules, matchFilters);
}

/** A whole RepositoryMatcher from a plain `matchFilters` (the reference, and the bench's baselines). */
export function matcherFrom(
  rules: readonly SigningRule[],
  matchFilters: (repositoryName: string) => FilterMatch[],
): RepositoryMatcher {
  const counts = zeroCounts(rules);
  return {
    matchFilters,
    coveringRuleMask(repositoryName) {
      checkMaskable(rules);
      let mask = 0;
      for (const m of matchFilters(repositoryName)) {
        counts[m.ruleIndex]![m.filterIndex]!++;
        mask |= 1 << m.ruleIndex;
      }
      return mask;
    },
    filterMatchCounts: () => counts.map((row) => row.slice()),
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
  /** The literal runs between the first star and the last, in order (empty runs dropped). */
  middle: string[];
  /** The rules the filter belongs to, as a coverage mask. */
  ruleMask: number;
  /** Names matched over the calls of coveringRuleMask. */
  matched: number;
}

function distinctFilter(
  pattern: string,
  runs: readonly string[],
  positions: number[],
  proven: boolean,
  listed: readonly ListedFilter[],
): DistinctFilter {
  const stars = runs.length - 1;
  const middle: string[] = [];
  for (let i = 1; i < stars; i++) if (runs[i] !== '') middle.push(runs[i]!);
  let ruleMask = 0;
  // Past MAX_MASKED_RULES the mask is not used (coveringRuleMask refuses such a matcher).
  for (const p of positions) ruleMask |= 1 << (listed[p]!.ruleIndex % 32);
  return {
    pattern,
    positions,
    proven,
    head: stars === 0 ? pattern : runs[0]!,
    tail: stars === 0 ? pattern : runs[stars]!,
    literalLength: pattern.length - stars,
    middle,
    ruleMask,
    matched: 0,
  };
}

/**
 * Whether a candidate reached through its anchor matches. Length and both ends first
 * (necessary, and fast with native string methods); then the middle runs in order, each
 * at its leftmost place after the one before. Leftmost is always right when the only
 * wildcard is `*` (any later place leaves less room for the runs after it), so one
 * native `indexOf` per run decides: linear in the name, whatever the filter's shape.
 */
function candidateMatches(filter: DistinctFilter, name: string): boolean {
  if (filter.proven) return true;
  const { head, tail, middle } = filter;
  if (name.length < filter.literalLength || !name.startsWith(head) || !name.endsWith(tail)) return false;
  let from = head.length;
  const end = name.length - tail.length;
  for (const run of middle) {
    const at = name.indexOf(run, from);
    if (at < 0 || at + run.length > end) return false;
    from = at + run.length;
  }
  return true;
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
  private readonly distinct: DistinctFilter[] = [];

  constructor(private readonly rules: readonly SigningRule[]) {
    this.listed = listFilters(rules);
    this.positions = new Int32Array(this.listed.length);
    const positionsByPattern = new Map<string, number[]>();
    this.listed.forEach((f, position) => {
      const pattern = normalizeFilter(f.pattern);
      const positions = positionsByPattern.get(pattern);
      if (positions) positions.push(position);
      else positionsByPattern.set(pattern, [position]);
    });
    // Each filter split at its stars once, for the anchor choice and for the checks.
    const runsOf = new Map<string, string[]>();
    // How many distinct filters have each literal run: the anchor is the run fewest share.
    const runShares = new Map<string, number>();
    // (A run twice in one filter counts twice: the choice is a heuristic, and a Set per filter costs more.)
    for (const pattern of positionsByPattern.keys()) {
      const runs = pattern.split('*');
      runsOf.set(pattern, runs);
      if (runs.length === 1) continue;
      for (const run of runs) if (run !== '') runShares.set(run, (runShares.get(run) ?? 0) + 1);
    }
    const sharedBy = (run: string) => runShares.get(run) ?? 0;
    const substringKeys: [string, DistinctFilter][] = [];
    for (const [pattern, positions] of positionsByPattern) {
      const runs = runsOf.get(pattern)!;
      const anchor = anchorOfRuns(pattern, runs, sharedBy);
      const filter = distinctFilter(pattern, runs, positions, anchor.proves, this.listed);
      this.distinct.push(filter);
      if (anchor.kind === 'literal') this.exact.set(anchor.key, filter);
      else if (anchor.kind === 'everything') this.everything.push(filter);
      else if (anchor.kind === 'prefix') this.byPrefix.add(anchor.key, filter);
      else if (anchor.kind === 'suffix') this.bySuffix.add(anchor.key, filter);
      else substringKeys.push([anchor.key, filter]);
    }
    this.bySubstring = new SubstringAutomaton(substringKeys);
  }

  matchFilters(repositoryName: string): FilterMatch[] {
    const count = this.matchPositions(repositoryName);
    const { positions, listed } = this;
    const matches: FilterMatch[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const { ruleIndex, filterIndex } = listed[positions[i]!]!;
      matches[i] = { ruleIndex, filterIndex };
    }
    return matches;
  }

  coveringRuleMask(repositoryName: string): number {
    checkMaskable(this.rules);
    const { hits } = this;
    this.collectHits(repositoryName);
    let mask = 0;
    for (let i = 0; i < hits.size; i++) {
      const hit = hits.at(i);
      hit.matched++;
      mask |= hit.ruleMask;
    }
    return mask;
  }

  filterMatchCounts(): number[][] {
    const counts = zeroCounts(this.rules);
    for (const filter of this.distinct) {
      for (const position of filter.positions) {
        const { ruleIndex, filterIndex } = this.listed[position]!;
        counts[ruleIndex]![filterIndex] = filter.matched;
      }
    }
    return counts;
  }

  /** Leaves the matches' positions (configuration order) in `positions[0, count)`; returns count. */
  private matchPositions(repositoryName: string): number {
    const { hits, positions } = this;
    this.collectHits(repositoryName);
    if (hits.size === 0) return 0;
    let count = 0;
    for (let i = 0; i < hits.size; i++)
      for (const position of hits.at(i).positions) positions[count++] = position;
    // Each hit's positions ascend already; only several hits need merging into configuration order.
    if (hits.size > 1) sortAscending(positions, count);
    return count;
  }

  /** Leaves the distinct filters matching the name in `hits`. */
  private collectHits(repositoryName: string): void {
    const { candidates, hits } = this;
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
