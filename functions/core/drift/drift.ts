/**
 * Drift: how one registry's signing configuration differs from the desired one, as a
 * stable change list (see configuration-diff.ts for how rules are matched up) and as
 * plain words, one line per change.
 */

import type { SigningConfiguration } from '../types.js';
import { canonicalConfiguration, configurationHash } from './canonical-configuration.js';
import { type ConfigurationChange, diffConfigurations } from './configuration-diff.js';
import { countRules, describeRule, nameFilters } from './rule-words.js';

export type DriftStatus = 'in-sync' | 'drifted';

/** A change plus its plain-words description. */
export type DriftChange = ConfigurationChange & { message: string };

export interface DriftReport {
  accountId: string;
  region: string;
  status: DriftStatus;
  /** The desired-configuration file the comparison used, e.g. `111122223333.json`. */
  desiredSource: string;
  /** Hashes of the canonical forms (configurationHash); equal exactly when status is in-sync. */
  actualHash: string;
  desiredHash: string;
  /** Empty when in sync. */
  changes: DriftChange[];
}

export interface DriftInput {
  accountId: string;
  region: string;
  /** null: the registry has never been configured. */
  actual: SigningConfiguration | null;
  desired: SigningConfiguration;
  desiredSource: string;
}

/** Profiles with more than one rule in either configuration: their rules need their filters named. */
export function profilesWithSeveralRules(...configs: (SigningConfiguration | null)[]): Set<string> {
  const several = new Set<string>();
  for (const config of configs) {
    const seen = new Set<string>();
    for (const rule of canonicalConfiguration(config)?.rules ?? []) {
      if (seen.has(rule.signingProfileArn)) several.add(rule.signingProfileArn);
      seen.add(rule.signingProfileArn);
    }
  }
  return several;
}

/** The drift line for one change; `ambiguous` holds the profiles whose rules must be told apart by filters. */
export function describeDrift(change: ConfigurationChange, ambiguous: ReadonlySet<string>): string {
  if (change.kind === 'configuration-missing') {
    return `registry has no signing configuration; desired has ${countRules(change.desiredRuleCount)}`;
  }
  const arn = change.signingProfileArn;
  const several = ambiguous.has(arn);
  switch (change.kind) {
    case 'rule-missing':
      return `registry has no ${describeRule(arn, change.desiredFilters, true)}`;
    case 'rule-unexpected':
      return `${describeRule(arn, change.actualFilters, true)} is not in the desired configuration`;
    case 'rule-scope-narrower':
      return `${describeRule(arn, null, false)} is limited to ${nameFilters(change.actualFilters)}; desired covers every repository`;
    case 'rule-scope-wider':
      return `${describeRule(arn, null, false)} covers every repository; desired limits it to ${nameFilters(change.desiredFilters)}`;
    case 'filter-missing':
      return `${describeRule(arn, change.actualFilters, several)} is missing filter '${change.filter}'`;
    case 'filter-unexpected':
      return `${describeRule(arn, change.actualFilters, several)} has filter '${change.filter}', which the desired configuration does not`;
  }
}

export function computeDrift(input: DriftInput): DriftReport {
  const { accountId, region, actual, desired, desiredSource } = input;
  const ambiguous = profilesWithSeveralRules(actual, desired);
  const changes = diffConfigurations(actual, desired).map((change) => ({
    ...change,
    message: describeDrift(change, ambiguous),
  }));
  return {
    accountId,
    region,
    status: changes.length === 0 ? 'in-sync' : 'drifted',
    desiredSource,
    actualHash: configurationHash(actual),
    desiredHash: configurationHash(desired),
    changes,
  };
}
