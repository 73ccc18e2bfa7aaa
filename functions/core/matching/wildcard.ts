/**
 * ECR WILDCARD_MATCH semantics: `*` matches any sequence of characters (including `/`
 * and the empty sequence), every other character matches itself, and the filter must
 * match the whole repository name.
 *
 * Greedy two-pointer matching: on a mismatch it resumes from the last `*` only, so the
 * work is bounded by name length x pattern length and no pattern can trigger the
 * exponential backtracking a RegExp built from user input can.
 */
export function wildcardMatch(pattern: string, name: string): boolean {
  let p = 0;
  let n = 0;
  let starP = -1;
  let starN = 0;
  while (n < name.length) {
    if (p < pattern.length && pattern.charCodeAt(p) !== 42 /* * */ && pattern[p] === name[n]) {
      p++;
      n++;
    } else if (p < pattern.length && pattern.charCodeAt(p) === 42) {
      starP = p++;
      starN = n;
    } else if (starP !== -1) {
      p = starP + 1;
      n = ++starN;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern.charCodeAt(p) === 42) p++;
  return p === pattern.length;
}

/** True when the filter has no `*`: it matches exactly one name. */
export function isLiteralFilter(pattern: string): boolean {
  return !pattern.includes('*');
}
