/**
 * What a finding is about. An ajv error points into the facts document; the subject is the
 * repository, rule, filter, profile or registry that pointer lands in, with an identity
 * that survives reordering (names and content, never list positions).
 */
import type { ImageFacts, RegistryFacts, RuleFacts } from '../types.js';

export interface Subject {
  kind: 'registry' | 'repository' | 'rule' | 'filter' | 'profile';
  /** JSON pointer to the subject in the facts (the part of the error's path that chose it). */
  path: string;
  repositoryName?: string;
  ruleIndex?: number;
  filter?: string;
  signingProfileArn?: string;
  /** Set when the subject is one image of the repository (and maybe one profile's status of it). */
  imageDigest?: string;
  /** Order-independent identity, the input of the fingerprint. */
  identity: readonly unknown[];
  /**
   * For a filter: every element of `identity` but the last, one array per rule, so the
   * fingerprint can hash the rule's (long) part once for all of its filters.
   */
  identityHead?: readonly unknown[];
}

/**
 * An instance path's segments, read in place: a finding's path is compared and indexed,
 * never cut into strings (a registry can fail a policy thousands of times).
 * The names compared against have no `~` or `/`, so escaped segments simply never equal them.
 */
class PathSegments {
  /** Where each segment starts (after its `/`); the next start minus one is where it ends. */
  private readonly starts: number[] = [];

  constructor(private readonly path: string) {
    for (let at = path.indexOf('/'); at >= 0 && this.starts.length < 8; at = path.indexOf('/', at + 1))
      this.starts.push(at + 1);
  }

  private endOf(position: number): number {
    const next = this.starts[position + 1];
    return next === undefined ? this.path.length : next - 1;
  }

  /** Whether segment `position` is exactly `name`. */
  is(position: number, name: string): boolean {
    const start = this.starts[position];
    return (
      start !== undefined && this.endOf(position) - start === name.length && this.path.startsWith(name, start)
    );
  }

  /** Segment `position` as an array index (digits, no leading zero), or undefined. */
  indexAt(position: number): number | undefined {
    const start = this.starts[position];
    if (start === undefined) return undefined;
    const end = this.endOf(position);
    if (end === start || end - start > 15 || (this.path.charCodeAt(start) === 48 && end - start > 1))
      return undefined;
    let value = 0;
    for (let i = start; i < end; i++) {
      const digit = this.path.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) return undefined;
      value = value * 10 + digit;
    }
    return value;
  }
}

/**
 * The pointer to the first `length` segments of an instance path: a prefix of the path
 * itself, whose segments are already escaped.
 */
function pathOf(instancePath: string, length: number): string {
  let end = 0;
  for (let i = 0; i < length; i++) {
    end = instancePath.indexOf('/', end + 1);
    if (end < 0) return instancePath;
  }
  return instancePath.slice(0, end);
}

const ruleIdentities = new WeakMap<RuleFacts, unknown[]>();
const filterIdentityHeads = new WeakMap<RuleFacts, unknown[]>();

/** `['filter', ...ruleIdentity(rule)]`, the same array for every filter of the rule. */
function filterIdentityHead(rule: RuleFacts): unknown[] {
  let head = filterIdentityHeads.get(rule);
  if (!head) {
    head = ['filter', ...ruleIdentity(rule)];
    filterIdentityHeads.set(rule, head);
  }
  return head;
}

/**
 * A rule's identity is its content: profile and filters, not its position in the list.
 * Worked out once per rule of a facts document: a policy over filters meets the same
 * rule once per filter.
 */
function ruleIdentity(rule: RuleFacts): unknown[] {
  let identity = ruleIdentities.get(rule);
  if (!identity) {
    identity = [rule.signingProfileArn, rule.filters.map((f) => `${f.filterType}:${f.filter}`).sort()];
    ruleIdentities.set(rule, identity);
  }
  return identity;
}

/** Resolves the subject an instance path is about; anything outside the lists is the registry. */
export function subjectOf(facts: RegistryFacts, instancePath: string): Subject {
  const segments = new PathSegments(instancePath);
  const inRepositories = segments.is(0, 'repositories');

  if (inRepositories || segments.is(0, 'uncoveredRepositories')) {
    const index = segments.indexAt(1);
    const name =
      index === undefined
        ? undefined
        : inRepositories
          ? facts.repositories[index]?.repositoryName
          : facts.uncoveredRepositories[index];
    if (name !== undefined)
      return repositorySubject(facts, instancePath, segments, inRepositories, index!, name);
  }

  // `rules` holds the derived rule facts; `signingConfiguration.rules` the same rules in API shape.
  const ruleOffset = segments.is(0, 'rules')
    ? 1
    : segments.is(0, 'signingConfiguration') && segments.is(1, 'rules')
      ? 2
      : -1;
  if (ruleOffset > 0) {
    const index = segments.indexAt(ruleOffset);
    const rule = index === undefined ? undefined : facts.rules[index];
    if (rule) {
      const filtersKey = ruleOffset === 1 ? 'filters' : 'repositoryFilters';
      const filterIndex = segments.is(ruleOffset + 1, filtersKey)
        ? segments.indexAt(ruleOffset + 2)
        : undefined;
      const filter = filterIndex === undefined ? undefined : rule.filters[filterIndex];
      const base = { ruleIndex: rule.index, signingProfileArn: rule.signingProfileArn };
      if (filter) {
        return {
          kind: 'filter',
          path: pathOf(instancePath, ruleOffset + 3),
          ...base,
          filter: filter.filter,
          identity: [...filterIdentityHead(rule), filter.filter],
          identityHead: filterIdentityHead(rule),
        };
      }
      return {
        kind: 'rule',
        path: pathOf(instancePath, ruleOffset + 1),
        ...base,
        identity: ['rule', ...ruleIdentity(rule)],
      };
    }
  }

  if (segments.is(0, 'profiles')) {
    const index = segments.indexAt(1);
    const profile = index === undefined ? undefined : facts.profiles[index];
    if (profile) {
      return {
        kind: 'profile',
        path: pathOf(instancePath, 2),
        signingProfileArn: profile.profileArn,
        identity: ['profile', profile.profileArn],
      };
    }
  }
  return { kind: 'registry', path: '', identity: ['registry'] };
}

/** A repository, narrowed to one profile when the path goes into its duplicate-signing list. */
function repositorySubject(
  facts: RegistryFacts,
  instancePath: string,
  segments: PathSegments,
  inRepositories: boolean,
  index: number,
  repositoryName: string,
): Subject {
  const repository = inRepositories ? facts.repositories[index] : undefined;
  const entry = segments.indexAt(3);
  let signingProfileArn: string | undefined;
  if (repository && entry !== undefined && segments.is(2, 'images')) {
    const image = repository.images[entry];
    if (image) return imageSubject(instancePath, segments, repositoryName, image);
  }
  if (repository && entry !== undefined) {
    if (segments.is(2, 'duplicateSigning'))
      signingProfileArn = repository.duplicateSigning[entry]?.signingProfileArn;
    else if (segments.is(2, 'signingProfileArns')) signingProfileArn = repository.signingProfileArns[entry];
  }
  if (signingProfileArn !== undefined) {
    return {
      kind: 'repository',
      path: pathOf(instancePath, 4),
      repositoryName,
      signingProfileArn,
      identity: ['repository', repositoryName, signingProfileArn],
    };
  }
  return {
    kind: 'repository',
    path: pathOf(instancePath, 2),
    repositoryName,
    identity: ['repository', repositoryName],
  };
}

/**
 * One image of a repository, by digest (a newer image is a new subject), narrowed to one
 * profile when the path goes into its signing statuses or expected or missing profiles.
 */
function imageSubject(
  instancePath: string,
  segments: PathSegments,
  repositoryName: string,
  image: ImageFacts,
): Subject {
  const entry = segments.indexAt(5);
  const signingProfileArn =
    entry === undefined
      ? undefined
      : segments.is(4, 'signingStatuses')
        ? image.signingStatuses[entry]?.signingProfileArn
        : segments.is(4, 'expectedProfileArns')
          ? image.expectedProfileArns[entry]
          : segments.is(4, 'missingProfileArns')
            ? image.missingProfileArns[entry]
            : undefined;
  if (signingProfileArn !== undefined) {
    return {
      kind: 'repository',
      path: pathOf(instancePath, 6),
      repositoryName,
      imageDigest: image.imageDigest,
      signingProfileArn,
      identity: ['repository', repositoryName, 'image', image.imageDigest, signingProfileArn],
    };
  }
  return {
    kind: 'repository',
    path: pathOf(instancePath, 4),
    repositoryName,
    imageDigest: image.imageDigest,
    identity: ['repository', repositoryName, 'image', image.imageDigest],
  };
}

/** The subject in words, e.g. "repository team/api-prod" or "filter "team/*" of the rule at index 1". */
export function describeSubject(subject: Subject, facts: RegistryFacts): string {
  switch (subject.kind) {
    case 'repository': {
      const image = subject.imageDigest === undefined ? '' : ` image ${subject.imageDigest}`;
      return subject.signingProfileArn === undefined
        ? `repository ${subject.repositoryName}${image}`
        : `repository ${subject.repositoryName}${image} (profile ${subject.signingProfileArn})`;
    }
    case 'rule':
      return `the rule at index ${subject.ruleIndex} (profile ${subject.signingProfileArn})`;
    case 'filter':
      return `filter "${subject.filter}" of the rule at index ${subject.ruleIndex} (profile ${subject.signingProfileArn})`;
    case 'profile':
      return `profile ${subject.signingProfileArn}`;
    case 'registry':
      return `registry ${facts.accountId}/${facts.region}`;
  }
}
