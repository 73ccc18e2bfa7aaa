/**
 * Decides where the repository matcher files each filter: under the literal text that
 * a matching name must contain at a known place, so that names without it never reach
 * the filter.
 */

/**
 * Where a matching name must contain `key`, or that the filter needs no key at all.
 * `proves`: finding the key where the anchor says is the whole match, no check needed.
 */
export type FilterAnchor =
  /** No `*`: the name must equal `key`. */
  | { kind: 'literal'; key: string; proves: true }
  /** Only `*`: every name matches. */
  | { kind: 'everything'; proves: true }
  /** The name must start with `key`. */
  | { kind: 'prefix'; key: string; proves: boolean }
  /** The name must end with `key`. */
  | { kind: 'suffix'; key: string; proves: boolean }
  /** The name must contain `key` somewhere. */
  | { kind: 'substring'; key: string; proves: boolean };

/** Collapses runs of `*`: `a**b` and `a*b` match the same names, and the shorter is checked faster. */
export function normalizeFilter(pattern: string): string {
  return pattern.replace(/\*{2,}/g, '*');
}

/** Anchor keys shorter than this are too common in names to be worth a rarer one. */
const SHORT_KEY = 3;

/**
 * Picks the anchor among the filter's literal runs: the one fewest filters of the
 * configuration share (`sharedBy`, when given: 47 filters all filed under
 * `workloads/service-` would all be checked for every name containing it), then the
 * longest (longer keys are rarer in names), preferring the ends of the filter on ties
 * because a trie walk along the name stops at the first character no key shares. Runs
 * shorter than SHORT_KEY compete only when no run is longer. A keyed filter proves its
 * match when it is that run plus stars alone.
 */
export function anchorFilter(pattern: string, sharedBy?: (run: string) => number): FilterAnchor {
  return anchorOfRuns(pattern, normalizeFilter(pattern).split('*'), sharedBy);
}

/**
 * anchorFilter for a filter already split at its stars (`runs`, of the normalized filter):
 * the matcher splits each filter once and reuses the runs for its checks.
 */
export function anchorOfRuns(
  pattern: string,
  runs: readonly string[],
  sharedBy?: (run: string) => number,
): FilterAnchor {
  if (runs.length === 1) return { kind: 'literal', key: pattern, proves: true };
  const last = runs.length - 1;
  let keyed = 0;
  let longest = 0;
  for (let i = 0; i <= last; i++) {
    const length = runs[i]!.length;
    if (length > 0) keyed++;
    if (length > longest) longest = length;
  }
  if (longest === 0) return { kind: 'everything', proves: true };
  const proves = keyed === 1;
  // In order of preference on a tie: prefix (run 0), suffix (the last), then the middle runs left to right.
  const minimum = Math.min(longest, SHORT_KEY);
  let best = -1;
  let bestShares = 0;
  for (let k = 0; k <= last; k++) {
    const i = k === 0 ? 0 : k === 1 ? last : k - 1;
    const key = runs[i]!;
    if (key.length < minimum) continue;
    const shares = sharedBy ? sharedBy(key) : 0;
    if (best < 0 || shares < bestShares || (shares === bestShares && key.length > runs[best]!.length)) {
      best = i;
      bestShares = shares;
    }
  }
  const key = runs[best]!;
  const kind = best === 0 ? 'prefix' : best === last ? 'suffix' : 'substring';
  return { kind, key, proves };
}
