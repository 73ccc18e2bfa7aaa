/**
 * The canonical form of a signing configuration. ECR gives no meaning to the order of
 * rules or filters, nor to a filter repeated within a rule or a rule repeated whole, so
 * the canonical form sorts and dedupes them. `null` (never configured) stays distinct
 * from `{ rules: [] }` (configured with no rules): they are different registry states.
 *
 * Only model members are kept, so SDK extras such as `$metadata` never reach a hash.
 *
 * Configurations are values: nothing changes one after it is read, so the canonical form
 * and hash of each are worked out once (an audit asks for them several times per registry,
 * and at 10 rules x 100 filters each pass costs milliseconds).
 */
import { createHash } from 'node:crypto';
import { compareStringLists, compareStrings } from '../ordering.js';
import type { SigningConfiguration, SigningRepositoryFilter, SigningRule } from '../types.js';

function compareFilters(a: SigningRepositoryFilter, b: SigningRepositoryFilter): number {
  return compareStrings(a.filter, b.filter) || compareStrings(a.filterType, b.filterType);
}

/** Sorted, deduped filters; `repositoryFilters` stays absent when it was (the rule covers everything). */
export function canonicalRule(rule: SigningRule): SigningRule {
  const canonical: SigningRule = { signingProfileArn: rule.signingProfileArn };
  if (rule.repositoryFilters !== undefined) {
    const sorted = rule.repositoryFilters
      .map((f) => ({ filter: f.filter, filterType: f.filterType }))
      .sort(compareFilters);
    canonical.repositoryFilters = sorted.filter((f, i) => i === 0 || compareFilters(sorted[i - 1]!, f) !== 0);
  }
  return canonical;
}

/** Orders canonical rules by profile, then rules without filters first, then by filter list. */
export function compareCanonicalRules(a: SigningRule, b: SigningRule): number {
  const byProfile = compareStrings(a.signingProfileArn, b.signingProfileArn);
  if (byProfile !== 0) return byProfile;
  if (a.repositoryFilters === undefined || b.repositoryFilters === undefined) {
    return Number(a.repositoryFilters !== undefined) - Number(b.repositoryFilters !== undefined);
  }
  return compareStringLists(filterValues(a), filterValues(b));
}

/**
 * The rule's filter values. The model has one filter type (WILDCARD_MATCH), so the value
 * alone identifies a filter; drift and pairing rely on that.
 */
export function filterValues(rule: SigningRule): string[] {
  return (rule.repositoryFilters ?? []).map((f) => f.filter);
}

/** Each configuration's canonical form; a canonical form is its own. */
const canonicalForms = new WeakMap<SigningConfiguration, SigningConfiguration>();
const hashes = new WeakMap<SigningConfiguration, string>();

export function canonicalConfiguration(config: SigningConfiguration): SigningConfiguration;
export function canonicalConfiguration(config: SigningConfiguration | null): SigningConfiguration | null;
export function canonicalConfiguration(config: SigningConfiguration | null): SigningConfiguration | null {
  if (config === null) return null;
  const known = canonicalForms.get(config);
  if (known) return known;
  const sorted = config.rules.map(canonicalRule).sort(compareCanonicalRules);
  const canonical = {
    rules: sorted.filter((r, i) => i === 0 || compareCanonicalRules(sorted[i - 1]!, r) !== 0),
  };
  canonicalForms.set(config, canonical);
  canonicalForms.set(canonical, canonical);
  return canonical;
}

/** JSON of the canonical form, with members in model order; `null` for a registry never configured. */
export function canonicalJson(config: SigningConfiguration | null): string {
  return JSON.stringify(canonicalConfiguration(config));
}

/** sha256 (hex) of the canonical JSON: equal for configurations ECR treats as the same. */
export function configurationHash(config: SigningConfiguration | null): string {
  const canonical = canonicalConfiguration(config);
  if (canonical === null) return createHash('sha256').update('null').digest('hex');
  let hash = hashes.get(canonical);
  if (hash === undefined) {
    hash = createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
    hashes.set(canonical, hash);
  }
  return hash;
}
