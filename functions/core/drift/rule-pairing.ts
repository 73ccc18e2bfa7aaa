/**
 * Decides which registry rule corresponds to which desired rule, so drift can say
 * "this rule is missing a filter" instead of "one rule removed, another added".
 *
 * Rules are identified by their signing profile ARN. Several rules may share a profile,
 * so within one profile the rules are paired: identical rules first, then greedily by the
 * number of filters they share (ties go to the earlier rules in canonical order), until
 * one side runs out. What is left over on either side is a whole rule added or removed.
 * With one rule per profile on each side (the usual case) this is simply "same profile,
 * same rule", whatever the filters.
 */

import type { SigningRule } from '../types.js';
import { filterValues } from './canonical-configuration.js';

export interface RulePair {
  actual: SigningRule;
  desired: SigningRule;
}

export interface RulePairing {
  pairs: RulePair[];
  actualOnly: SigningRule[];
  desiredOnly: SigningRule[];
}

/** How many filter values the two rules share (rules without filters share none). */
export function sharedFilterCount(a: SigningRule, b: SigningRule): number {
  const values = new Set(filterValues(a));
  return filterValues(b).filter((v) => values.has(v)).length;
}

/** The same filters, or both without filters (canonical rules of one profile). */
export function sameRule(a: SigningRule, b: SigningRule): boolean {
  if ((a.repositoryFilters === undefined) !== (b.repositoryFilters === undefined)) return false;
  const left = filterValues(a);
  const right = filterValues(b);
  return left.length === right.length && left.every((v, i) => v === right[i]);
}

/** Rules by profile ARN, each list in input order. */
export function groupByProfile(rules: readonly SigningRule[]): Map<string, SigningRule[]> {
  const groups = new Map<string, SigningRule[]>();
  for (const rule of rules) {
    const group = groups.get(rule.signingProfileArn);
    if (group) group.push(rule);
    else groups.set(rule.signingProfileArn, [rule]);
  }
  return groups;
}

function pairWithinProfile(actual: SigningRule[], desired: SigningRule[], into: RulePairing): void {
  const actualLeft = [...actual];
  const desiredLeft = [...desired];
  for (let i = 0; i < actualLeft.length; ) {
    const j = desiredLeft.findIndex((d) => sameRule(actualLeft[i]!, d));
    if (j === -1) {
      i++;
      continue;
    }
    into.pairs.push({ actual: actualLeft.splice(i, 1)[0]!, desired: desiredLeft.splice(j, 1)[0]! });
  }
  while (actualLeft.length > 0 && desiredLeft.length > 0) {
    let best = { i: 0, j: 0, shared: -1 };
    actualLeft.forEach((a, i) => {
      desiredLeft.forEach((d, j) => {
        const shared = sharedFilterCount(a, d);
        if (shared > best.shared) best = { i, j, shared };
      });
    });
    into.pairs.push({ actual: actualLeft.splice(best.i, 1)[0]!, desired: desiredLeft.splice(best.j, 1)[0]! });
  }
  into.actualOnly.push(...actualLeft);
  into.desiredOnly.push(...desiredLeft);
}

/** Pairs canonical rule lists (see the module comment); the result follows the inputs' order by profile. */
export function pairRules(actual: readonly SigningRule[], desired: readonly SigningRule[]): RulePairing {
  const pairing: RulePairing = { pairs: [], actualOnly: [], desiredOnly: [] };
  const actualByProfile = groupByProfile(actual);
  const desiredByProfile = groupByProfile(desired);
  const profiles = new Set([...actualByProfile.keys(), ...desiredByProfile.keys()]);
  for (const profile of profiles) {
    pairWithinProfile(actualByProfile.get(profile) ?? [], desiredByProfile.get(profile) ?? [], pairing);
  }
  return pairing;
}
