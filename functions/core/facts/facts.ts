/**
 * Turns the raw state of one registry into the facts document policies validate.
 * Pure: the same snapshot always gives the same facts, and nothing here touches the network.
 */
import { keepShapesAlive } from '../keep-shapes.js';
import {
  createRepositoryMatcher,
  MAX_MASKED_RULES,
  type RepositoryMatcher,
  zeroCounts,
} from '../matching/index.js';
import {
  FACTS_VERSION,
  type ProfileFacts,
  type RegistryFacts,
  type RegistrySnapshot,
  type RepositoryFacts,
  type RuleFacts,
  type SigningRule,
} from '../types.js';
import { imageFactsOf, imageSigningCounts } from './image-facts.js';
import { parseSigningProfileArn } from './signer-arn.js';

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function buildFacts(registry: RegistrySnapshot): RegistryFacts {
  const config = registry.signingConfiguration;
  const rules = config?.rules ?? [];
  const matcher = createRepositoryMatcher(rules);
  const describer = new RepositoryDescriber(rules);
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
  const coverage = coveringRulesOf(matcher, rules, coverAll);
  const imagesReadAtMs = registry.imagesReadAt === undefined ? Number.NaN : Date.parse(registry.imagesReadAt);
  for (const repo of registry.repositories) {
    // Each repository gets an array of its own (see RepositoryDescriber).
    const ruleIndexes = coverage.rulesCovering(repo.repositoryName).slice();
    for (const i of ruleIndexes) ruleFacts[i]!.matchCount++;
    const described = describer.describe(repo.repositoryName, repo.tags ?? {}, ruleIndexes);
    if (repo.images && repo.images.length > 0) {
      described.images = imageFactsOf(repo.images, described.signingProfileArns, imagesReadAtMs);
    }
    repositories.push(described);
    if (ruleIndexes.length === 0) uncoveredRepositories.push(repo.repositoryName);
  }
  coverage.filterMatchCounts().forEach((counts, ruleIndex) => {
    counts.forEach((count, filterIndex) => {
      ruleFacts[ruleIndex]!.filters[filterIndex]!.matchCount = count;
    });
  });

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
      organizationalUnitTags: registry.account?.organizationalUnitTags ?? {},
    },
    signingConfigured: config !== null,
    signingConfiguration: config,
    rules: ruleFacts,
    repositories,
    profiles,
    uncoveredRepositories,
    imageSigning: imageSigningCounts(repositories),
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

/**
 * The ascending indexes of the rules covering a name: those with a matching filter and
 * those without filters (which cover everything). Through the matcher's coverage mask,
 * each distinct mask turned into indexes once; past MAX_MASKED_RULES rules (more than
 * ECR allows, from a hand-written snapshot), through the list of matches.
 */
function coveringRulesOf(
  matcher: RepositoryMatcher,
  rules: readonly SigningRule[],
  coverAll: readonly number[],
): { rulesCovering(repositoryName: string): readonly number[]; filterMatchCounts(): number[][] } {
  if (rules.length > MAX_MASKED_RULES) {
    const counts = zeroCounts(rules);
    return {
      rulesCovering(repositoryName) {
        const ruleIndexes = new Set(coverAll);
        for (const m of matcher.matchFilters(repositoryName)) {
          counts[m.ruleIndex]![m.filterIndex]!++;
          ruleIndexes.add(m.ruleIndex);
        }
        return [...ruleIndexes].sort((a, b) => a - b);
      },
      filterMatchCounts: () => counts,
    };
  }
  const coverAllMask = coverAll.reduce((mask, i) => mask | (1 << i), 0);
  const byMask = new Map<number, readonly number[]>();
  return {
    rulesCovering(repositoryName) {
      const mask = matcher.coveringRuleMask(repositoryName) | coverAllMask;
      let ruleIndexes = byMask.get(mask);
      if (!ruleIndexes) {
        ruleIndexes = bitsOf(mask);
        byMask.set(mask, ruleIndexes);
      }
      return ruleIndexes;
    },
    filterMatchCounts: () => matcher.filterMatchCounts(),
  };
}

/** The set bits of a coverage mask: rule indexes, ascending. */
function bitsOf(mask: number): number[] {
  const bits: number[] = [];
  for (let i = 0; mask >>> i !== 0; i++) if ((mask >>> i) & 1) bits.push(i);
  return bits;
}

/** Which profiles a set of covering rules signs with; depends on the rule indexes only. */
interface ProfileCoverage {
  signingProfileArns: string[];
  duplicateSigning: { signingProfileArn: string; ruleIndexes: number[] }[];
}

/**
 * Describes repositories, working out each distinct set of covering rules once: a large
 * registry has thousands of repositories but few such sets. Every repository still gets
 * arrays of its own, so no two facts entries share anything a caller could mutate.
 * A class, not a closure, so optimised code survives from one registry to the next.
 */
class RepositoryDescriber {
  private readonly coverageByRules = new Map<number | string, ProfileCoverage>();

  constructor(private readonly rules: readonly SigningRule[]) {}

  describe(repositoryName: string, tags: Record<string, string>, ruleIndexes: number[]): RepositoryFacts {
    if (ruleIndexes.length === 0) {
      return {
        repositoryName,
        tags,
        covered: false,
        ruleIndexes,
        signingProfileArns: [],
        duplicateSigning: [],
        images: [],
      };
    }
    const coverage = this.coverageOf(ruleIndexes);
    return {
      repositoryName,
      tags,
      covered: true,
      ruleIndexes,
      signingProfileArns: coverage.signingProfileArns.slice(),
      duplicateSigning:
        coverage.duplicateSigning.length === 0
          ? []
          : coverage.duplicateSigning.map((d) => ({
              signingProfileArn: d.signingProfileArn,
              ruleIndexes: d.ruleIndexes.slice(),
            })),
      images: [],
    };
  }

  private coverageOf(ruleIndexes: readonly number[]): ProfileCoverage {
    const key = ruleSetKey(ruleIndexes, this.rules.length);
    let coverage = this.coverageByRules.get(key);
    if (!coverage) {
      coverage = profileCoverage(ruleIndexes, this.rules);
      this.coverageByRules.set(key, coverage);
    }
    return coverage;
  }
}

keepShapesAlive(new RepositoryDescriber([]));

/** Names a set of rules exactly: a bit mask while there are at most 32 rules (ECR allows 10), else text. */
function ruleSetKey(ruleIndexes: readonly number[], ruleCount: number): number | string {
  if (ruleCount > 32) return ruleIndexes.join();
  let mask = 0;
  for (const i of ruleIndexes) mask |= 1 << i;
  return mask;
}

function profileCoverage(ruleIndexes: readonly number[], rules: readonly SigningRule[]): ProfileCoverage {
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
  return { signingProfileArns, duplicateSigning };
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
