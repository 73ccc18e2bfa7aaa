/**
 * What a finding is about. An ajv error points into the facts document; the subject is the
 * repository, rule, filter, profile or registry that pointer lands in, with an identity
 * that survives reordering (names and content, never list positions).
 */
import type { ImageFacts, RegistryFacts, RuleFacts } from '../types.js';
import { pointerOf, pointerSegments } from './json-pointer.js';

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

function indexAt(segments: readonly string[], position: number): number | undefined {
  const segment = segments[position];
  return segment !== undefined && /^(0|[1-9][0-9]*)$/.test(segment) ? Number(segment) : undefined;
}

function pathOf(segments: readonly string[], length: number): string {
  return pointerOf(segments.slice(0, length));
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
  const segments = pointerSegments(instancePath);
  const [head, second] = segments;

  if (head === 'repositories' || head === 'uncoveredRepositories') {
    const index = indexAt(segments, 1);
    const name =
      index === undefined
        ? undefined
        : head === 'repositories'
          ? facts.repositories[index]?.repositoryName
          : facts.uncoveredRepositories[index];
    if (name !== undefined) return repositorySubject(facts, segments, index!, name);
  }

  // `rules` holds the derived rule facts; `signingConfiguration.rules` the same rules in API shape.
  const ruleOffset = head === 'rules' ? 1 : head === 'signingConfiguration' && second === 'rules' ? 2 : -1;
  if (ruleOffset > 0) {
    const index = indexAt(segments, ruleOffset);
    const rule = index === undefined ? undefined : facts.rules[index];
    if (rule) {
      const filtersKey = ruleOffset === 1 ? 'filters' : 'repositoryFilters';
      const filterIndex =
        segments[ruleOffset + 1] === filtersKey ? indexAt(segments, ruleOffset + 2) : undefined;
      const filter = filterIndex === undefined ? undefined : rule.filters[filterIndex];
      const base = { ruleIndex: rule.index, signingProfileArn: rule.signingProfileArn };
      if (filter) {
        return {
          kind: 'filter',
          path: pathOf(segments, ruleOffset + 3),
          ...base,
          filter: filter.filter,
          identity: [...filterIdentityHead(rule), filter.filter],
          identityHead: filterIdentityHead(rule),
        };
      }
      return {
        kind: 'rule',
        path: pathOf(segments, ruleOffset + 1),
        ...base,
        identity: ['rule', ...ruleIdentity(rule)],
      };
    }
  }

  if (head === 'profiles') {
    const index = indexAt(segments, 1);
    const profile = index === undefined ? undefined : facts.profiles[index];
    if (profile) {
      return {
        kind: 'profile',
        path: pathOf(segments, 2),
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
  segments: readonly string[],
  index: number,
  repositoryName: string,
): Subject {
  const repository = segments[0] === 'repositories' ? facts.repositories[index] : undefined;
  const listName = segments[2];
  const entry = indexAt(segments, 3);
  let signingProfileArn: string | undefined;
  if (repository && entry !== undefined && listName === 'images') {
    const image = repository.images[entry];
    if (image) return imageSubject(segments, repositoryName, image);
  }
  if (repository && entry !== undefined) {
    if (listName === 'duplicateSigning')
      signingProfileArn = repository.duplicateSigning[entry]?.signingProfileArn;
    if (listName === 'signingProfileArns') signingProfileArn = repository.signingProfileArns[entry];
  }
  if (signingProfileArn !== undefined) {
    return {
      kind: 'repository',
      path: pathOf(segments, 4),
      repositoryName,
      signingProfileArn,
      identity: ['repository', repositoryName, signingProfileArn],
    };
  }
  return {
    kind: 'repository',
    path: pathOf(segments, 2),
    repositoryName,
    identity: ['repository', repositoryName],
  };
}

/**
 * One image of a repository, by digest (a newer image is a new subject), narrowed to one
 * profile when the path goes into its signing statuses or expected or missing profiles.
 */
function imageSubject(segments: readonly string[], repositoryName: string, image: ImageFacts): Subject {
  const listName = segments[4];
  const entry = indexAt(segments, 5);
  const signingProfileArn =
    entry === undefined
      ? undefined
      : listName === 'signingStatuses'
        ? image.signingStatuses[entry]?.signingProfileArn
        : listName === 'expectedProfileArns' || listName === 'missingProfileArns'
          ? image[listName][entry]
          : undefined;
  if (signingProfileArn !== undefined) {
    return {
      kind: 'repository',
      path: pathOf(segments, 6),
      repositoryName,
      imageDigest: image.imageDigest,
      signingProfileArn,
      identity: ['repository', repositoryName, 'image', image.imageDigest, signingProfileArn],
    };
  }
  return {
    kind: 'repository',
    path: pathOf(segments, 4),
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
