/**
 * What repository matching would cost without the index: the usual ways of testing
 * every filter against every name. Each gives the same `RepositoryMatcher` answers as
 * ours on valid ECR names, which the matching section checks before timing.
 */
import { Minimatch, type MinimatchOptions, minimatch } from 'minimatch';
import {
  type FilterMatch,
  listFilters,
  matcherFrom,
  type RepositoryMatcher,
} from '../functions/core/matching/index.js';
import type { SigningRule } from '../functions/core/types.js';

/**
 * Tests every filter and keeps those `matches` accepts, in configuration order.
 * `prepareName` runs once per name, not once per filter, so it does not weigh on the baseline.
 */
function everyFilterMatcher<Compiled>(
  rules: readonly SigningRule[],
  compile: (pattern: string) => Compiled,
  matches: (compiled: Compiled, name: string) => boolean,
  prepareName: (repositoryName: string) => string = (repositoryName) => repositoryName,
): RepositoryMatcher {
  const filters = listFilters(rules).map((f) => ({ ...f, compiled: compile(f.pattern) }));
  return matcherFrom(rules, (repositoryName) => {
    const name = prepareName(repositoryName);
    const out: FilterMatch[] = [];
    for (const f of filters) {
      if (matches(f.compiled, name)) out.push({ ruleIndex: f.ruleIndex, filterIndex: f.filterIndex });
    }
    return out;
  });
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Each filter as an anchored RegExp: literal text escaped, `*` as `.*` (dotAll, so it crosses anything). */
export function regExpPerFilterMatcher(rules: readonly SigningRule[]): RepositoryMatcher {
  return everyFilterMatcher(
    rules,
    (pattern) => new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`, 's'),
    (regExp, name) => regExp.test(name),
  );
}

/**
 * minimatch's `*` stops at `/`, WILDCARD_MATCH's does not. Both sides get `/` rewritten to
 * a character that valid repository names and filters never contain, so each is one
 * path segment and `*` spans what used to be several; the options turn off what glob
 * syntax adds (braces, extglobs, negation, comments, hiding dot files).
 */
export const MINIMATCH_SEMANTICS_NOTE =
  "minimatch: '/' rewritten to ':' in filters and names so '*' crosses it; dot, nobrace, noext, nonegate, nocomment set";
const SLASH_STAND_IN = ':';
const MINIMATCH_OPTIONS: MinimatchOptions = {
  dot: true,
  nobrace: true,
  noext: true,
  nonegate: true,
  nocomment: true,
};
const withoutSlashes = (text: string) => text.replaceAll('/', SLASH_STAND_IN);

/** A `Minimatch` compiled once per filter: the fastest way to use minimatch here. */
export function compiledMinimatchMatcher(rules: readonly SigningRule[]): RepositoryMatcher {
  return everyFilterMatcher(
    rules,
    (pattern) => new Minimatch(withoutSlashes(pattern), MINIMATCH_OPTIONS),
    (compiled, name) => compiled.match(name),
    withoutSlashes,
  );
}

/** `minimatch(name, pattern)` per filter, as most code calls it (its cache holds a few hundred patterns). */
export function minimatchPerCallMatcher(rules: readonly SigningRule[]): RepositoryMatcher {
  return everyFilterMatcher(
    rules,
    withoutSlashes,
    (pattern, name) => minimatch(name, pattern, MINIMATCH_OPTIONS),
    withoutSlashes,
  );
}
