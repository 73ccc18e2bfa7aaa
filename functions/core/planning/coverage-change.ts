/**
 * Which profiles would sign each repository before and after a configuration change.
 * The remediation planner uses it to prove `merge` reduces no coverage and to list what
 * `enforce` takes away.
 */
import { filterValues, groupByProfile } from '../drift/index.js';
import { buildFacts } from '../facts/index.js';
import { createRepositoryMatcher, MAX_MASKED_RULES } from '../matching/index.js';
import { compareStrings } from '../ordering.js';
import type { SigningConfiguration, SigningRule, TargetRef } from '../types.js';

export interface RepositoryCoverageChange {
  repositoryName: string;
  /** Profiles that sign the repository's images, sorted. */
  before: string[];
  after: string[];
  gained: string[];
  lost: string[];
}

export interface CoverageComparison {
  /** Repositories whose profile set changes, by name. */
  changed: RepositoryCoverageChange[];
  unchangedCount: number;
}

/** The profiles (sorted, distinct) that sign a repository name under one configuration. */
export type ProfileLookup = (repositoryName: string) => readonly string[];

/**
 * A lookup over `config`'s rules: one matcher pass per name and one profile list per
 * distinct set of covering rules, no facts document (more rules than a coverage mask
 * holds, from a hand-written snapshot, go through buildFacts).
 */
export function profileLookup(
  target: TargetRef,
  config: SigningConfiguration | null,
  repositoryNames: readonly string[],
): ProfileLookup {
  const rules = config?.rules ?? [];
  if (rules.length > MAX_MASKED_RULES) {
    const facts = buildFacts({
      ...target,
      signingConfiguration: config,
      repositories: repositoryNames.map((repositoryName) => ({ repositoryName })),
    });
    const byName = new Map(facts.repositories.map((r) => [r.repositoryName, r.signingProfileArns]));
    return (name) => byName.get(name) ?? [];
  }
  const matcher = createRepositoryMatcher(rules);
  const coverAllMask = rules.reduce(
    (mask, rule, i) => (rule.repositoryFilters === undefined ? mask | (1 << i) : mask),
    0,
  );
  const byMask = new Map<number, readonly string[]>();
  return (name) => {
    const mask = matcher.coveringRuleMask(name) | coverAllMask;
    let profiles = byMask.get(mask);
    if (!profiles) {
      const arns = new Set<string>();
      rules.forEach((rule, i) => {
        if ((mask >>> i) & 1) arns.add(rule.signingProfileArn);
      });
      profiles = [...arns].sort(compareStrings);
      byMask.set(mask, profiles);
    }
    return profiles;
  };
}

/**
 * The lookup for `after`, matching only what changed from `before` (whose lookup is given):
 * per profile of `after`,
 * - a rule without filters signs every repository;
 * - when each of the profile's rules in `before` is kept, whole or widened, in a rule of
 *   `after`, a repository has the profile after when it had it before or matches one of the
 *   filters `after` adds (the merge strategy only ever does this);
 * - otherwise the profile's rules in `after` are matched in full.
 * More changed profiles than a coverage mask holds go through profileLookup.
 */
function changedCoverageLookup(
  target: TargetRef,
  before: SigningConfiguration | null,
  after: SigningConfiguration | null,
  beforeProfiles: ProfileLookup,
  repositoryNames: readonly string[],
): ProfileLookup {
  const beforeByProfile = groupByProfile(before?.rules ?? []);
  const everyRepository: string[] = [];
  const keepsBefore = new Set<string>();
  const matched: SigningRule[] = [];
  for (const [arn, rules] of groupByProfile(after?.rules ?? [])) {
    if (rules.some((rule) => rule.repositoryFilters === undefined)) {
      everyRepository.push(arn);
      continue;
    }
    const was = beforeByProfile.get(arn) ?? [];
    const added = addedFilters(was, rules);
    if (added === null) {
      matched.push(...rules);
      continue;
    }
    keepsBefore.add(arn);
    if (added.length > 0) {
      const repositoryFilters = added.map((filter) => ({ filter, filterType: 'WILDCARD_MATCH' as const }));
      matched.push({ signingProfileArn: arn, repositoryFilters });
    }
  }
  if (matched.length > MAX_MASKED_RULES) return profileLookup(target, after, repositoryNames);
  const matcher = createRepositoryMatcher(matched);
  // A repository's profiles after depend only on the mask and on which kept profiles it had
  // before: both fit one number key (a mask bit per matched rule, then a bit per kept profile).
  const keptBit = new Map([...keepsBefore].map((arn, bit) => [arn, bit] as const));
  if (keptBit.size > MAX_KEPT_BITS) return profileLookup(target, after, repositoryNames);
  const byKey = new Map<number, readonly string[]>();
  return (name) => {
    const was = beforeProfiles(name);
    const mask = matched.length > 0 ? matcher.coveringRuleMask(name) : 0;
    let kept = 0;
    for (const arn of was) {
      const bit = keptBit.get(arn);
      if (bit !== undefined) kept |= 1 << bit;
    }
    const key = kept * MASK_SPAN + mask;
    let profiles = byKey.get(key);
    if (!profiles) {
      const arns = new Set(everyRepository);
      for (const arn of was) if (keepsBefore.has(arn)) arns.add(arn);
      matched.forEach((rule, i) => {
        if ((mask >>> i) & 1) arns.add(rule.signingProfileArn);
      });
      profiles = [...arns].sort(compareStrings);
      byKey.set(key, profiles);
    }
    return profiles;
  };
}

/** Coverage masks are below 2^MAX_MASKED_RULES; kept-profile bits go above them, within 2^53. */
const MASK_SPAN = 2 ** MAX_MASKED_RULES;
const MAX_KEPT_BITS = 53 - MAX_MASKED_RULES;

/**
 * The filters one profile's rules in `after` add to its rules in `before` (all with filters),
 * or null when some rule in `before` is not kept whole or widened by a rule in `after`.
 */
function addedFilters(before: readonly SigningRule[], after: readonly SigningRule[]): string[] | null {
  const afterFilters = after.map((rule) => new Set(filterValues(rule)));
  const widenedFrom = new Map<number, Set<string>>();
  for (const rule of before) {
    if (rule.repositoryFilters === undefined) return null;
    const values = filterValues(rule);
    const i = afterFilters.findIndex((set) => values.every((v) => set.has(v)));
    if (i === -1) return null;
    if (!widenedFrom.has(i)) widenedFrom.set(i, new Set(values));
  }
  const added = new Set<string>();
  afterFilters.forEach((set, i) => {
    const kept = widenedFrom.get(i);
    for (const value of set) if (!kept?.has(value)) added.add(value);
  });
  return [...added];
}

/**
 * Compares coverage repository by repository. `current`, when the caller has it (the
 * audit's facts of the registry as it is), answers for `before` instead of matching again;
 * `after` matches only the filters that changed (changedCoverageLookup).
 */
export function compareCoverage(
  target: TargetRef,
  before: SigningConfiguration | null,
  after: SigningConfiguration | null,
  repositoryNames: readonly string[],
  current?: ProfileLookup,
): CoverageComparison {
  const names = [...new Set(repositoryNames)].sort(compareStrings);
  const beforeProfiles = current ?? profileLookup(target, before, names);
  const afterProfiles = changedCoverageLookup(target, before, after, beforeProfiles, names);
  const changed: RepositoryCoverageChange[] = [];
  for (const repositoryName of names) {
    const was = beforeProfiles(repositoryName);
    const is = afterProfiles(repositoryName);
    if (was === is || sameList(was, is)) continue;
    const gained = is.filter((arn) => !was.includes(arn));
    const lost = was.filter((arn) => !is.includes(arn));
    if (gained.length > 0 || lost.length > 0)
      changed.push({ repositoryName, before: [...was], after: [...is], gained, lost });
  }
  return { changed, unchangedCount: names.length - changed.length };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}
