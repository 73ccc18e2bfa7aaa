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
  const runs = normalizeFilter(pattern).split('*');
  if (runs.length === 1) return { kind: 'literal', key: pattern, proves: true };
  const prefix = runs[0]!;
  const suffix = runs[runs.length - 1]!;
  const middle = runs.slice(1, -1).filter((run) => run !== '');
  const proves = middle.length + (prefix === '' ? 0 : 1) + (suffix === '' ? 0 : 1) === 1;
  const longest = Math.max(prefix.length, suffix.length, ...middle.map((run) => run.length));
  if (longest === 0) return { kind: 'everything', proves: true };
  // In order of preference on a tie: prefix, suffix, then the middle runs left to right.
  const choices: { kind: 'prefix' | 'suffix' | 'substring'; key: string }[] = [
    { kind: 'prefix', key: prefix },
    { kind: 'suffix', key: suffix },
    ...middle.map((key) => ({ kind: 'substring' as const, key })),
  ];
  const minimum = Math.min(longest, SHORT_KEY);
  const shares = (key: string) => (sharedBy ? sharedBy(key) : 0);
  let best = choices.find((choice) => choice.key.length >= minimum)!;
  for (const choice of choices) {
    if (choice.key.length < minimum) continue;
    const byShares = shares(choice.key) - shares(best.key);
    if (byShares < 0 || (byShares === 0 && choice.key.length > best.key.length)) best = choice;
  }
  return { ...best, proves };
}
