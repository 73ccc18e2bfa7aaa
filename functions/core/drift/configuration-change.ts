/**
 * What changed in a registry's signing configuration between two scans, in words for
 * the `config.changed` alert ("rule for profile … gained filter 'web'").
 */

import type { SigningConfiguration } from '../types.js';
import { type ConfigurationChange, diffConfigurations } from './configuration-diff.js';
import { profilesWithSeveralRules } from './drift.js';
import { describeRule, describeScope, nameFilters } from './rule-words.js';

function describe(change: ConfigurationChange, ambiguous: ReadonlySet<string>): string {
  if (change.kind === 'configuration-missing') {
    return `signing configuration created with ${change.desiredRuleCount} rule${change.desiredRuleCount === 1 ? '' : 's'}`;
  }
  const several = ambiguous.has(change.signingProfileArn);
  switch (change.kind) {
    case 'rule-missing':
      return `${describeRule(change.signingProfileArn, change.desiredFilters, true)} was added`;
    case 'rule-unexpected':
      return `${describeRule(change.signingProfileArn, change.actualFilters, true)} was removed`;
    case 'rule-scope-narrower':
      return `${describeRule(change.signingProfileArn, change.actualFilters, several)} now covers every repository`;
    case 'rule-scope-wider':
      return `${describeRule(change.signingProfileArn, null, several)} was narrowed to ${nameFilters(change.desiredFilters)}`;
    case 'filter-missing':
      return `${describeRule(change.signingProfileArn, change.actualFilters, several)} gained filter '${change.filter}'`;
    case 'filter-unexpected':
      return `${describeRule(change.signingProfileArn, change.actualFilters, several)} lost filter '${change.filter}'`;
  }
}

/** Plain-words lines for the change from `before` to `after`; empty when they mean the same. */
export function describeConfigurationChange(
  before: SigningConfiguration | null,
  after: SigningConfiguration | null,
): string[] {
  if (after === null) {
    return before === null ? [] : [`signing configuration deleted (it had ${describeScopeCount(before)})`];
  }
  const ambiguous = profilesWithSeveralRules(before, after);
  return diffConfigurations(before, after).map((change) => describe(change, ambiguous));
}

function describeScopeCount(config: SigningConfiguration): string {
  const n = config.rules.length;
  return n === 1
    ? `1 rule, ${describeScope(config.rules[0]!.repositoryFilters?.map((f) => f.filter) ?? null)}`
    : `${n} rules`;
}
