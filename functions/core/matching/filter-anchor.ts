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

/**
 * Picks the longest literal run of the filter as its anchor (longer keys are rarer in
 * names), preferring the ends of the filter on ties because a trie walk along the name
 * stops at the first character no key shares. A keyed filter proves its match when it
 * is that run plus stars alone.
 */
export function anchorFilter(pattern: string): FilterAnchor {
  const runs = normalizeFilter(pattern).split('*');
  if (runs.length === 1) return { kind: 'literal', key: pattern, proves: true };
  const prefix = runs[0]!;
  const suffix = runs[runs.length - 1]!;
  const middle = runs.slice(1, -1).filter((run) => run !== '');
  const proves = middle.length + (prefix === '' ? 0 : 1) + (suffix === '' ? 0 : 1) === 1;
  const longestMiddle = middle.reduce((longest, run) => (run.length > longest.length ? run : longest), '');
  const longest = Math.max(prefix.length, suffix.length, longestMiddle.length);
  if (longest === 0) return { kind: 'everything', proves: true };
  if (prefix.length === longest) return { kind: 'prefix', key: prefix, proves };
  if (suffix.length === longest) return { kind: 'suffix', key: suffix, proves };
  return { kind: 'substring', key: longestMiddle, proves };
}
