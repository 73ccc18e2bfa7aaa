/**
 * Which profiles would sign each repository before and after a configuration change.
 * The remediation planner uses it to prove `merge` reduces no coverage and to list what
 * `enforce` takes away.
 */
import { buildFacts } from '../facts/index.js';
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

function profilesByRepository(
  target: TargetRef,
  config: SigningConfiguration | null,
  repositoryNames: readonly string[],
): Map<string, string[]> {
  const facts = buildFacts({
    ...target,
    signingConfiguration: config,
    repositories: repositoryNames.map((repositoryName) => ({ repositoryName })),
  });
  return new Map(facts.repositories.map((r) => [r.repositoryName, r.signingProfileArns]));
}

export function compareCoverage(
  target: TargetRef,
  before: SigningConfiguration | null,
  after: SigningConfiguration | null,
  repositoryNames: readonly string[],
): CoverageComparison {
  const names = [...new Set(repositoryNames)].sort(compareStrings);
  const beforeProfiles = profilesByRepository(target, before, names);
  const afterProfiles = profilesByRepository(target, after, names);
  const changed: RepositoryCoverageChange[] = [];
  for (const repositoryName of names) {
    const was = beforeProfiles.get(repositoryName)!;
    const is = afterProfiles.get(repositoryName)!;
    const gained = is.filter((arn) => !was.includes(arn));
    const lost = was.filter((arn) => !is.includes(arn));
    if (gained.length > 0 || lost.length > 0)
      changed.push({ repositoryName, before: was, after: is, gained, lost });
  }
  return { changed, unchangedCount: names.length - changed.length };
}
