import type { TargetRef } from './types.js';

/**
 * Orderings by code unit, not locale: canonical forms and hashes must not depend on the
 * machine's locale or ICU version.
 */

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Element by element, then the shorter list first. */
export function compareStringLists(a: readonly string[], b: readonly string[]): number {
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i++) {
    const order = compareStrings(a[i]!, b[i]!);
    if (order !== 0) return order;
  }
  return a.length - b.length;
}

/** Account, then region: the order of registries and errors in snapshots and reports. */
export function compareTargets(a: TargetRef, b: TargetRef): number {
  return compareStrings(a.accountId, b.accountId) || compareStrings(a.region, b.region);
}
