/**
 * How changes name rules in plain words. A rule is named by its profile; its filters are
 * added only when the profile has several rules, where the profile alone is ambiguous.
 */
import type { RuleFilters } from './configuration-diff.js';

/** "filter 'a'" or "filters 'a', 'b'". */
export function nameFilters(filters: readonly string[]): string {
  return `${filters.length === 1 ? 'filter' : 'filters'} ${filters.map((f) => `'${f}'`).join(', ')}`;
}

export function describeScope(filters: RuleFilters): string {
  return filters === null ? 'covering every repository' : `with ${nameFilters(filters)}`;
}

/** "rule for profile <arn>", plus its scope when `ambiguous` or always for whole rules. */
export function describeRule(signingProfileArn: string, filters: RuleFilters, withScope: boolean): string {
  const rule = `rule for profile ${signingProfileArn}`;
  return withScope ? `${rule} ${describeScope(filters)}` : rule;
}

export function countRules(count: number): string {
  return `${count} ${count === 1 ? 'rule' : 'rules'}`;
}
