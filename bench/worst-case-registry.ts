/**
 * A registry at the ECR limits for the matcher: 10 rules of 100 filters each (the API
 * maximum) over 10,000 repositories with names like `team-042/service-17-prod`.
 * Deterministic for a seed, so runs on different machines measure the same work.
 */
import type {
  RegistrySnapshot,
  RepositorySnapshot,
  SigningProfileSnapshot,
  SigningRepositoryFilter,
  SigningRule,
} from '../functions/core/types.js';
import { seededRandom } from '../functions/local-aws/faults.js';

export interface WorstCaseOptions {
  seed?: number;
  repositories?: number;
  rules?: number;
  filtersPerRule?: number;
}

const ENVIRONMENTS = ['prod', 'staging', 'dev', 'test', 'qa'] as const;
const COMPONENTS = ['platform', 'data', 'edge', 'batch'] as const;
const TEAMS = 200;
const SERVICES = 60;
const ACCOUNT_ID = '111122223333';
const REGION = 'us-east-1';
const PROFILE_ARNS = ['prod_signing', 'dev_signing', 'shared_signing', 'legacy_signing'].map(
  (name) => `arn:aws:signer:${REGION}:${ACCOUNT_ID}:/signing-profiles/${name}`,
);

type Random = () => number;

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const below = (random: Random, limit: number) => Math.floor(random() * limit);
const team = (n: number) => `team-${String(n).padStart(3, '0')}`;

function repositoryName(random: Random): string {
  const service = `service-${below(random, SERVICES)}-${pick(random, ENVIRONMENTS)}`;
  const owner = team(below(random, TEAMS));
  // One name in five sits one level deeper, as teams split large estates by component.
  return random() < 0.2 ? `${owner}/${pick(random, COMPONENTS)}/${service}` : `${owner}/${service}`;
}

/**
 * A filter of a randomly chosen shape; `existing` feeds literal filters that do match.
 * Broad filters (`*-prod`, `*` + `/platform/` + `*`) are rare, as in real configurations, where
 * most filters name one team, service or repository.
 */
function filter(random: Random, existing: readonly string[]): string {
  const roll = random();
  const service = `service-${below(random, SERVICES)}`;
  const environment = pick(random, ENVIRONMENTS);
  if (roll < 0.3) return random() < 0.7 ? pick(random, existing) : repositoryName(random);
  if (roll < 0.6) {
    return random() < 0.5 ? `${team(below(random, TEAMS))}/*` : `${team(below(random, TEAMS))}/${service}*`;
  }
  if (roll < 0.8) return random() < 0.1 ? `*-${environment}` : `*/${service}-${environment}`;
  if (roll < 0.92) return random() < 0.9 ? `*${service}-*` : `*/${pick(random, COMPONENTS)}/*`;
  return `${team(below(random, TEAMS)).slice(0, -1)}*/*-${environment}`;
}

export function worstCaseRegistry(options: WorstCaseOptions = {}): RegistrySnapshot {
  const { seed = 42, repositories = 10_000, rules = 10, filtersPerRule = 100 } = options;
  const random = seededRandom(seed);
  const names = new Set<string>();
  // There are far more possible names than repositories, so this ends quickly.
  while (names.size < repositories) names.add(repositoryName(random));
  const existing = [...names];
  const repositorySnapshots: RepositorySnapshot[] = existing.map((repositoryName) => ({
    repositoryName,
    tags: { team: repositoryName.slice(0, repositoryName.indexOf('/')) },
  }));
  const signingRules: SigningRule[] = Array.from({ length: rules }, (_, ruleIndex) => ({
    signingProfileArn: PROFILE_ARNS[ruleIndex % PROFILE_ARNS.length]!,
    repositoryFilters: Array.from(
      { length: filtersPerRule },
      (): SigningRepositoryFilter => ({ filter: filter(random, existing), filterType: 'WILDCARD_MATCH' }),
    ),
  }));
  const signingProfiles: SigningProfileSnapshot[] = PROFILE_ARNS.map((profileArn, i) => ({
    profileArn,
    status: i === PROFILE_ARNS.length - 1 ? 'Revoked' : 'Active',
    platformId: 'Notation-OCI-SHA384-ECDSA',
  }));
  return {
    accountId: ACCOUNT_ID,
    region: REGION,
    signingConfiguration: { rules: signingRules },
    repositories: repositorySnapshots,
    signingProfiles,
    account: { name: 'bench', organizationalUnitPath: ['r-ab12'], tags: { env: 'bench' } },
  };
}

/** The same registry with a profile of its own for each rule: no repository is signed twice by one profile. */
export function withProfilePerRule(registry: RegistrySnapshot): RegistrySnapshot {
  const arn = (i: number) =>
    `arn:aws:signer:${registry.region}:${registry.accountId}:/signing-profiles/release_${i}`;
  const rules = registry.signingConfiguration?.rules ?? [];
  return {
    ...registry,
    signingConfiguration: { rules: rules.map((rule, i) => ({ ...rule, signingProfileArn: arn(i) })) },
    signingProfiles: rules.map((_, i) => ({
      profileArn: arn(i),
      status: 'Active',
      platformId: 'Notation-OCI-SHA384-ECDSA',
    })),
  };
}

/**
 * The broad case: long names (four levels, 60-90 characters) and filters with several `*`
 * each, tuned so a name matches about 48 of the 1,000 filters — far more work per name
 * than the typical case above, where most filters name one team or service.
 */
export function broadRegistry(options: { seed?: number; repositories?: number } = {}): RegistrySnapshot {
  const { seed = 7, repositories = 10_000 } = options;
  const random = seededRandom(seed);
  const org = (n: number) => `org-${String(n).padStart(2, '0')}`;
  const names = new Set<string>();
  while (names.size < repositories) {
    const service = `service-${below(random, SERVICES)}-${pick(random, COMPONENTS)}-${pick(random, ENVIRONMENTS)}`;
    names.add(
      `${org(below(random, 20))}/${team(below(random, 50))}/${pick(random, COMPONENTS)}-workloads/${service}-${below(random, 1000)}`,
    );
  }
  const shapes: Array<() => string> = [
    () => `${org(below(random, 20))}/*/*-${pick(random, ENVIRONMENTS)}-*`,
    () => `*/${team(below(random, 50))}/*`,
    () => `*/*/${pick(random, COMPONENTS)}-*/*`,
    () => `*-${pick(random, COMPONENTS)}-${pick(random, ENVIRONMENTS)}-*`,
    () => `org-*/team-0*/*service-${below(random, SERVICES)}-*`,
    () => `*workloads/service-*-${pick(random, ENVIRONMENTS)}-${below(random, 10)}*`,
  ];
  const rules: SigningRule[] = Array.from({ length: 10 }, (_, ruleIndex) => ({
    signingProfileArn: PROFILE_ARNS[ruleIndex % PROFILE_ARNS.length]!,
    repositoryFilters: Array.from({ length: 100 }, () => ({
      filter: pick(random, shapes)(),
      filterType: 'WILDCARD_MATCH' as const,
    })),
  }));
  return {
    accountId: ACCOUNT_ID,
    region: REGION,
    signingConfiguration: { rules },
    repositories: [...names].map((repositoryName) => ({ repositoryName })),
    signingProfiles: PROFILE_ARNS.map((profileArn) => ({
      profileArn,
      status: 'Active',
      platformId: 'Notation-OCI-SHA384-ECDSA',
    })),
  };
}

/** A filter and a name on which a backtracking RegExp takes exponential time. */
export const ADVERSARIAL_CASE = { filter: 'a*a*a*a*a*a*c*b', name: `${'a'.repeat(60)}b` } as const;
