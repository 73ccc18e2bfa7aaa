/**
 * The differences between two signing configurations, computed with json-diff-ts on their
 * canonical forms and returned as a stable list of changes, stated from the first
 * configuration's point of view ("from" lacks a rule that "to" has: `rule-missing`).
 *
 * Rules are keyed for the diff by the pairing in rule-pairing.ts (same profile, most
 * shared filters); filters are keyed by value. So json-diff-ts reports a paired rule's
 * filter edits as element changes and an unpaired rule as a whole rule added or removed.
 */
import { diff, type IChange, Operation } from 'json-diff-ts';
import { compareStrings } from '../ordering.js';
import type { SigningConfiguration, SigningRule } from '../types.js';
import { canonicalConfiguration, filterValues } from './canonical-configuration.js';
import { pairRules, sameRule } from './rule-pairing.js';

export const CONFIGURATION_CHANGE_KINDS = [
  'configuration-missing',
  'rule-missing',
  'rule-unexpected',
  'rule-scope-narrower',
  'rule-scope-wider',
  'filter-missing',
  'filter-unexpected',
] as const;
export type ConfigurationChangeKind = (typeof CONFIGURATION_CHANGE_KINDS)[number];

/** Filter values of a rule; null when the rule has no filters and so covers every repository. */
export type RuleFilters = string[] | null;

export type ConfigurationChange =
  /** "from" was never configured; "to" is a configuration (possibly with no rules). */
  | { kind: 'configuration-missing'; desiredRuleCount: number }
  /** "to" has a rule that "from" has no counterpart for. */
  | { kind: 'rule-missing'; signingProfileArn: string; desiredFilters: RuleFilters }
  /** "from" has a rule that "to" has no counterpart for. */
  | { kind: 'rule-unexpected'; signingProfileArn: string; actualFilters: RuleFilters }
  /** "from"'s rule is limited to filters where "to"'s covers every repository. */
  | { kind: 'rule-scope-narrower'; signingProfileArn: string; actualFilters: string[] }
  /** "from"'s rule covers every repository where "to"'s is limited to filters. */
  | { kind: 'rule-scope-wider'; signingProfileArn: string; desiredFilters: string[] }
  /** A filter of "to"'s rule that the paired rule of "from" lacks, or the other way round. */
  | {
      kind: 'filter-missing' | 'filter-unexpected';
      signingProfileArn: string;
      filter: string;
      actualFilters: string[];
      desiredFilters: string[];
    };

interface DiffRule {
  key: string;
  signingProfileArn: string;
  repositoryFilters?: string[];
}

function ruleFilters(rule: SigningRule): RuleFilters {
  return rule.repositoryFilters === undefined ? null : filterValues(rule);
}

function diffRule(key: string, rule: SigningRule): DiffRule {
  const out: DiffRule = { key, signingProfileArn: rule.signingProfileArn };
  if (rule.repositoryFilters !== undefined) out.repositoryFilters = filterValues(rule);
  return out;
}

function changesOfPairedRule(
  change: IChange,
  actual: SigningRule,
  desired: SigningRule,
): ConfigurationChange[] {
  const signingProfileArn = actual.signingProfileArn;
  const actualFilters = filterValues(actual);
  const desiredFilters = filterValues(desired);
  return (change.changes ?? []).flatMap((member): ConfigurationChange[] => {
    if (member.key !== 'repositoryFilters') {
      throw new Error(`paired rules differ in '${member.key}', which pairing keeps equal`);
    }
    if (member.type === Operation.ADD)
      return [{ kind: 'rule-scope-wider', signingProfileArn, desiredFilters }];
    if (member.type === Operation.REMOVE)
      return [{ kind: 'rule-scope-narrower', signingProfileArn, actualFilters }];
    return (member.changes ?? []).map((element) => ({
      kind: element.type === Operation.ADD ? 'filter-missing' : 'filter-unexpected',
      signingProfileArn,
      filter: String(element.value),
      actualFilters,
      desiredFilters,
    }));
  });
}

/** The rules behind one diff key: both when paired, one when the other side has no counterpart. */
interface KeyedRules {
  actual?: SigningRule;
  desired?: SigningRule;
}

function changesOfRule(change: IChange, rules: KeyedRules | undefined): ConfigurationChange[] {
  const { actual, desired } = rules ?? {};
  if (change.type === Operation.UPDATE && actual && desired)
    return changesOfPairedRule(change, actual, desired);
  if (change.type === Operation.ADD && desired && !actual) {
    return [
      {
        kind: 'rule-missing',
        signingProfileArn: desired.signingProfileArn,
        desiredFilters: ruleFilters(desired),
      },
    ];
  }
  if (change.type === Operation.REMOVE && actual && !desired) {
    return [
      {
        kind: 'rule-unexpected',
        signingProfileArn: actual.signingProfileArn,
        actualFilters: ruleFilters(actual),
      },
    ];
  }
  throw new Error(
    `json-diff-ts reported ${change.type} for rule key '${change.key}', which no pairing explains`,
  );
}

function changeOrder(a: ConfigurationChange, b: ConfigurationChange): number {
  const profile = (c: ConfigurationChange) => ('signingProfileArn' in c ? c.signingProfileArn : '');
  const filter = (c: ConfigurationChange) => ('filter' in c ? c.filter : '');
  const list = (c: ConfigurationChange) =>
    JSON.stringify('desiredFilters' in c ? c.desiredFilters : 'actualFilters' in c ? c.actualFilters : null);
  return (
    compareStrings(profile(a), profile(b)) ||
    CONFIGURATION_CHANGE_KINDS.indexOf(a.kind) - CONFIGURATION_CHANGE_KINDS.indexOf(b.kind) ||
    compareStrings(list(a), list(b)) ||
    compareStrings(filter(a), filter(b))
  );
}

/** What "from" would need to become "to", in a stable order (profile, kind, rule, filter). */
export function diffConfigurations(
  from: SigningConfiguration | null,
  to: SigningConfiguration,
): ConfigurationChange[] {
  const desired = canonicalConfiguration(to);
  if (from === null) return [{ kind: 'configuration-missing', desiredRuleCount: desired.rules.length }];
  const actual = canonicalConfiguration(from);

  const pairing = pairRules(actual.rules, desired.rules);
  // Pairs with the same filters have nothing to report, and a rule on one side only is added
  // or removed whole: json-diff-ts sees the filters of the pairs that differ and nothing more.
  const rulesByKey = new Map<string, KeyedRules>([
    ...pairing.pairs.flatMap((pair, i): [string, KeyedRules][] =>
      sameRule(pair.actual, pair.desired) ? [] : [[`pair-${i}`, pair]],
    ),
    ...pairing.actualOnly.map((rule, i): [string, KeyedRules] => [`actual-${i}`, { actual: rule }]),
    ...pairing.desiredOnly.map((rule, i): [string, KeyedRules] => [`desired-${i}`, { desired: rule }]),
  ]);
  const side = (which: keyof KeyedRules) =>
    [...rulesByKey].flatMap(([key, rules]) => {
      const rule = rules[which];
      if (!rule) return [];
      return [
        rules.actual && rules.desired
          ? diffRule(key, rule)
          : { key, signingProfileArn: rule.signingProfileArn },
      ];
    });

  const changeset = diff(
    { rules: side('actual') },
    { rules: side('desired') },
    { embeddedObjKeys: { rules: 'key', 'rules.repositoryFilters': '$value' } },
  );
  const ruleChanges = changeset.find((c) => c.key === 'rules')?.changes ?? [];
  const changes = ruleChanges.flatMap((change) => changesOfRule(change, rulesByKey.get(change.key)));
  return changes.sort(changeOrder);
}
