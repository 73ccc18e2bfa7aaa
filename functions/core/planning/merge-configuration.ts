/**
 * The `merge` remediation: the registry's configuration plus whatever the desired one has
 * that it lacks, worked out per profile. Every step only keeps or widens what a profile
 * covers, so no repository loses a profile:
 *
 * - the registry already signs every repository with the profile: nothing to add;
 * - a desired rule signs every repository with it: the profile's rules become that one
 *   rule (the others are subsumed, and keeping them would sign some images twice);
 * - the registry has no rule for the profile: the desired rules are added as they are;
 * - otherwise the desired filters that no rule of the profile has yet are added to the
 *   profile's rule sharing most filters with the desired ones (the first on a tie).
 *
 * Extra rules of the registry are kept. The result may break API limits (more than 10
 * rules, more than 100 filters in a rule); the planner refuses it then.
 */
import { canonicalConfiguration, filterValues, groupByProfile, sharedFilterCount } from '../drift/index.js';
import type { SigningConfiguration, SigningRule } from '../types.js';

/** The merged rules of one profile the registry already has rules for. */
function mergeProfile(current: SigningRule[], desired: SigningRule[]): SigningRule[] {
  if (current.some((rule) => rule.repositoryFilters === undefined)) return current;
  const everyRepository = desired.find((rule) => rule.repositoryFilters === undefined);
  if (everyRepository) return [everyRepository];
  const present = new Set(current.flatMap(filterValues));
  const missing = desired
    .flatMap((rule) => rule.repositoryFilters ?? [])
    .filter((f) => !present.has(f.filter));
  if (missing.length === 0) return current;
  const wanted: SigningRule = {
    signingProfileArn: desired[0]!.signingProfileArn,
    repositoryFilters: desired.flatMap((rule) => rule.repositoryFilters ?? []),
  };
  let target = current[0]!;
  for (const rule of current) {
    if (sharedFilterCount(rule, wanted) > sharedFilterCount(target, wanted)) target = rule;
  }
  return current.map((rule) =>
    rule === target ? { ...rule, repositoryFilters: [...(rule.repositoryFilters ?? []), ...missing] } : rule,
  );
}

/** The canonical merged configuration (see the module comment). */
export function mergeConfigurations(
  actual: SigningConfiguration | null,
  desired: SigningConfiguration,
): SigningConfiguration {
  const actualByProfile = groupByProfile(canonicalConfiguration(actual)?.rules ?? []);
  const desiredByProfile = groupByProfile(canonicalConfiguration(desired).rules);
  const rules: SigningRule[] = [];
  for (const [profile, current] of actualByProfile) {
    rules.push(...mergeProfile(current, desiredByProfile.get(profile) ?? []));
  }
  for (const [profile, wanted] of desiredByProfile) {
    if (!actualByProfile.has(profile)) rules.push(...wanted);
  }
  return canonicalConfiguration({ rules });
}
