/**
 * Which profiles would sign each repository before and after a configuration change.
 * The remediation planner uses it to prove `merge` reduces no coverage and to list what
 * `enforce` takes away.
 */
import { buildFacts } from '../facts/index.js';
import { createRepositoryMatcher, MAX_MASKED_RULES } from '../matching/index.js';
import { compareStrings } from '../ordering.js';
import type { SigningConfiguration, TargetRef } from '../types.js';

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
 * Compares coverage repository by repository. `current`, when the caller has it (the
 * audit's facts of the registry as it is), answers for `before` instead of matching again.
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
  const afterProfiles = profileLookup(target, after, names);
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
