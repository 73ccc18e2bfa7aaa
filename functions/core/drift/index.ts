export {
  canonicalConfiguration,
  canonicalJson,
  configurationHash,
  filterValues,
} from './canonical-configuration.js';
export { describeConfigurationChange } from './configuration-change.js';
export type { ConfigurationChange } from './configuration-diff.js';
export { diffConfigurations } from './configuration-diff.js';
export type { DesiredConfiguration, DesiredConfigurationSet } from './desired-configuration.js';
export {
  checkDesiredConfiguration,
  DEFAULT_DESIRED_FILE,
  parseDesiredFileName,
  resolveDesired,
  VALIDATION_REGION,
} from './desired-configuration.js';
export type { DriftReport } from './drift.js';
export { computeDrift, profilesWithSeveralRules } from './drift.js';
export { MATCHES_DESIRED_ID, MATCHES_DESIRED_TITLE, matchesDesiredFinding } from './matches-desired.js';
export { groupByProfile, sharedFilterCount } from './rule-pairing.js';
export { countRules, describeRule, nameFilters } from './rule-words.js';
