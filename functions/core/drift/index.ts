export {
  canonicalConfiguration,
  canonicalJson,
  configurationHash,
  filterValues,
} from './canonical-configuration.js';
export { describeConfigurationChange } from './configuration-change.js';
export type { ConfigurationChange } from './configuration-diff.js';
export { diffConfigurations } from './configuration-diff.js';
export type { DesiredConfigurationSet } from './desired-configuration.js';
export {
  checkDesiredConfiguration,
  parseDesiredFileName,
  resolveDesired,
  VALIDATION_REGION,
} from './desired-configuration.js';
export type { DriftReport } from './drift.js';
export { computeDrift, profilesWithSeveralRules } from './drift.js';
export { groupByProfile, sharedFilterCount } from './rule-pairing.js';
export { countRules, describeRule, nameFilters } from './rule-words.js';
