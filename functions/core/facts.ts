/**
 * Turns the raw state of one registry into the facts document policies validate.
 * Pure: the same snapshot always gives the same facts, and nothing here touches the network.
 */
import { createRepositoryMatcher } from './repository-matcher.js';
import { parseSigningProfileArn } from './signer-arn.js';
import {
  FACTS_VERSION,
  type ProfileFacts,
  type RegistryFacts,
  type RegistrySnapshot,
  type RepositoryFacts,
  type RuleFacts,
  type SigningRule,
} from './types.js';

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function buildFacts(registry: RegistrySnapshot): RegistryFacts {
  const config = registry.signingConfiguration;
  const rules = config?.rules ?? [];
  const matcher = createRepositoryMatcher(rules);
  const coverAll = rules.flatMap((rule, i) => (rule.repositoryFilters === undefined ? [i] : []));

  const ruleFacts: RuleFacts[] = rules.map((rule, index) => ({
    index,
    signingProfileArn: rule.signingProfileArn,
    coversAllRepositories: rule.repositoryFilters === undefined,
    filters: (rule.repositoryFilters ?? []).map((f) => ({
      filter: f.filter,
      filterType: f.filterType,
      matchCount: 0,
    })),
    matchCount: 0,
  }));

  const repositories: RepositoryFacts[] = [];
  const uncoveredRepositories: string[] = [];
  for (const repo of registry.repositories) {
    const matches = matcher.matchFilters(repo.repositoryName);
    let ruleIndexes = coverAll;
    if (matches.length > 0) {
      const matchedRules = new Set(coverAll);
      for (const m of matches) {
        ruleFacts[m.ruleIndex]!.filters[m.filterIndex]!.matchCount++;
        matchedRules.add(m.ruleIndex);
      }
      ruleIndexes = [...matchedRules].sort((a, b) => a - b);
    }
    for (const i of ruleIndexes) ruleFacts[i]!.matchCount++;
    repositories.push(repositoryFacts(repo.repositoryName, repo.tags ?? {}, ruleIndexes, rules));
    if (ruleIndexes.length === 0) uncoveredRepositories.push(repo.repositoryName);
  }

  const profiles = profileFacts(registry, ruleFacts);
  const filterCount = ruleFacts.reduce((n, r) => n + r.filters.length, 0);
  return {
    factsVersion: FACTS_VERSION,
    accountId: registry.accountId,
    region: registry.region,
    account: {
      name: registry.account?.name ?? null,
      organizationalUnitPath: registry.account?.organizationalUnitPath ?? [],
      organizationalUnitNames: registry.account?.organizationalUnitNames ?? [],
      tags: registry.account?.tags ?? {},
    },
    signingConfigured: config !== null,
    signingConfiguration: config,
    rules: ruleFacts,
    repositories,
    profiles,
    uncoveredRepositories,
    counts: {
      repositories: repositories.length,
      coveredRepositories: repositories.length - uncoveredRepositories.length,
      uncoveredRepositories: uncoveredRepositories.length,
      rules: ruleFacts.length,
      filters: filterCount,
      profiles: profiles.length,
    },
  };
}

function repositoryFacts(
  repositoryName: string,
  tags: Record<string, string>,
  ruleIndexes: number[],
  rules: readonly SigningRule[],
): RepositoryFacts {
  if (ruleIndexes.length === 0) {
    return {
      repositoryName,
      tags,
      covered: false,
      ruleIndexes,
      signingProfileArns: [],
      duplicateSigning: [],
    };
  }
  const rulesByProfile = new Map<string, number[]>();
  for (const i of ruleIndexes) {
    const arn = rules[i]!.signingProfileArn;
    const list = rulesByProfile.get(arn);
    if (list) list.push(i);
    else rulesByProfile.set(arn, [i]);
  }
  const signingProfileArns = [...rulesByProfile.keys()].sort(byString);
  const duplicateSigning = signingProfileArns
    .filter((arn) => rulesByProfile.get(arn)!.length > 1)
    .map((arn) => ({ signingProfileArn: arn, ruleIndexes: rulesByProfile.get(arn)! }));
  return { repositoryName, tags, covered: true, ruleIndexes, signingProfileArns, duplicateSigning };
}

function profileFacts(registry: RegistrySnapshot, rules: RuleFacts[]): ProfileFacts[] {
  const known = new Map((registry.signingProfiles ?? []).map((p) => [p.profileArn, p]));
  const ruleIndexesByArn = new Map<string, number[]>();
  for (const rule of rules) {
    const list = ruleIndexesByArn.get(rule.signingProfileArn);
    if (list) list.push(rule.index);
    else ruleIndexesByArn.set(rule.signingProfileArn, [rule.index]);
  }
  return [...ruleIndexesByArn.keys()].sort(byString).map((profileArn) => {
    const parts = parseSigningProfileArn(profileArn);
    const status = known.get(profileArn);
    return {
      profileArn,
      profileName: parts?.profileName ?? null,
      partition: parts?.partition ?? null,
      region: parts?.region ?? null,
      accountId: parts?.accountId ?? null,
      status: status?.status ?? null,
      platformId: status?.platformId ?? null,
      sameRegionAsRegistry: parts?.region === registry.region,
      ruleIndexes: ruleIndexesByArn.get(profileArn)!,
    };
  });
}
