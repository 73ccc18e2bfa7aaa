/**
 * The remediation planner: what to put so a registry meets its desired configuration,
 * and whether that is safe. Pure: it decides, something else applies.
 *
 * - `merge` (the default) adds what the desired configuration has and the registry lacks
 *   and keeps everything else (merge-configuration.ts); refused if it would take a
 *   profile away from any repository.
 * - `enforce` puts exactly the desired configuration; it may take profiles away, and the
 *   plan names the repositories that lose one.
 *
 * Either is refused when the configuration to put breaks the API's constraints.
 */
import { checkSigningConfiguration } from '../api-constraints.js';
import {
  type ConfigurationChange,
  canonicalConfiguration,
  configurationHash,
  countRules,
  describeRule,
  diffConfigurations,
  nameFilters,
  profilesWithSeveralRules,
} from '../drift/index.js';
import type { SigningConfiguration } from '../types.js';
import { type CoverageComparison, compareCoverage, type ProfileLookup } from './coverage-change.js';
import { mergeConfigurations } from './merge-configuration.js';

export const REMEDIATION_STRATEGIES = ['merge', 'enforce'] as const;
export type RemediationStrategy = (typeof REMEDIATION_STRATEGIES)[number];
export const DEFAULT_REMEDIATION_STRATEGY: RemediationStrategy = 'merge';

/** noop: the registry already satisfies the plan; ready: `after` can be put; refused: see `refusals`. */
export type RemediationPlanStatus = 'noop' | 'ready' | 'refused';

/** A change from `before` to `after`, with the action in plain words. */
export type PlannedChange = ConfigurationChange & { action: string };

export interface RemediationPlan {
  accountId: string;
  region: string;
  strategy: RemediationStrategy;
  status: RemediationPlanStatus;
  /** Why the plan must not be applied, one sentence each; empty unless refused. */
  refusals: string[];
  /** The registry's configuration, canonical; null when never configured. */
  before: SigningConfiguration | null;
  /** The configuration to put, canonical (equal to `before` for a noop). */
  after: SigningConfiguration;
  beforeHash: string;
  afterHash: string;
  changes: PlannedChange[];
  /** Per repository, the profiles before and after: only those whose profile set changes. */
  repositories: CoverageComparison;
  /** Repositories that would lose at least one profile (merge refuses; enforce allows). */
  repositoriesLosingProfiles: string[];
}

export interface RemediationInput {
  accountId: string;
  region: string;
  actual: SigningConfiguration | null;
  desired: SigningConfiguration;
  /** Every repository of the registry: coverage is checked over these names. */
  repositories: readonly string[];
  /** The profiles signing each repository now, when the caller already knows (the audit's facts). */
  currentProfiles?: ProfileLookup;
  strategy?: RemediationStrategy;
}

/** The action line for one change; `ambiguous` holds the profiles whose rules must be told apart by filters. */
export function describeAction(change: ConfigurationChange, ambiguous: ReadonlySet<string>): string {
  if (change.kind === 'configuration-missing') {
    return `create the registry's signing configuration with ${countRules(change.desiredRuleCount)}`;
  }
  const arn = change.signingProfileArn;
  const several = ambiguous.has(arn);
  switch (change.kind) {
    case 'rule-missing':
      return `add ${describeRule(arn, change.desiredFilters, true)}`;
    case 'rule-unexpected':
      return `remove ${describeRule(arn, change.actualFilters, true)}`;
    case 'rule-scope-narrower':
      return `widen ${describeRule(arn, change.actualFilters, true)} to cover every repository`;
    case 'rule-scope-wider':
      return `limit ${describeRule(arn, null, true)} to ${nameFilters(change.desiredFilters)}`;
    case 'filter-missing':
      return `add filter '${change.filter}' to ${describeRule(arn, change.actualFilters, several)}`;
    case 'filter-unexpected':
      return `remove filter '${change.filter}' from ${describeRule(arn, change.actualFilters, several)}`;
  }
}

function describeLosses(coverage: CoverageComparison): string {
  return coverage.changed
    .filter((r) => r.lost.length > 0)
    .map((r) => `${r.repositoryName} (loses ${r.lost.join(', ')})`)
    .join('; ');
}

export function planRemediation(input: RemediationInput): RemediationPlan {
  const { accountId, region, actual, desired, repositories } = input;
  const strategy = input.strategy ?? DEFAULT_REMEDIATION_STRATEGY;
  const before = canonicalConfiguration(actual);
  const after = strategy === 'merge' ? mergeConfigurations(before, desired) : canonicalConfiguration(desired);
  const beforeHash = configurationHash(before);
  const afterHash = configurationHash(after);

  const ambiguous = profilesWithSeveralRules(before, after);
  const changes = beforeHash === afterHash ? [] : diffConfigurations(before, after);
  const coverage = compareCoverage({ accountId, region }, before, after, repositories, input.currentProfiles);
  const losing = coverage.changed.filter((r) => r.lost.length > 0).map((r) => r.repositoryName);

  const refusals = checkSigningConfiguration(after).map((v) => `ECR would reject it: ${v.path} ${v.message}`);
  if (strategy === 'merge' && losing.length > 0) {
    refusals.push(
      `merge would take profiles away from ${losing.length} repositories: ${describeLosses(coverage)}`,
    );
  }
  const status: RemediationPlanStatus =
    beforeHash === afterHash ? 'noop' : refusals.length > 0 ? 'refused' : 'ready';
  return {
    accountId,
    region,
    strategy,
    status,
    refusals: status === 'refused' ? refusals : [],
    before,
    after,
    beforeHash,
    afterHash,
    changes: changes.map((change) => ({ ...change, action: describeAction(change, ambiguous) })),
    repositories: coverage,
    repositoriesLosingProfiles: losing,
  };
}
