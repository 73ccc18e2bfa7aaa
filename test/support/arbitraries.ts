/**
 * fast-check generators for filters, names and signing configurations. The alphabet is
 * tiny (`a`, `b`, `/`, `-`) so that random filters and names match each other often.
 */
import fc from 'fast-check';
import type { SigningRule } from '../../functions/core/types.js';

const literalUnit = fc.constantFrom('a', 'b', '/', '-');

export const literalText = (maxLength = 4) => fc.string({ unit: literalUnit, maxLength });

/** Any text over the alphabet plus `*`: a filter of any shape, or a name containing a star. */
export const wildcardText = (maxLength = 10) =>
  fc.string({ unit: fc.oneof(literalUnit, fc.constant('*')), maxLength });

/** Filters of every shape the matcher indexes differently. */
export const filterPattern = fc.oneof(
  literalText(6),
  literalText().map((text) => `${text}*`),
  literalText().map((text) => `*${text}`),
  literalText().map((text) => `*${text}*`),
  fc.tuple(literalText(), literalText(), literalText()).map(([a, b, c]) => `${a}*${b}*${c}`),
  wildcardText(),
);

/** A name the filter matches: every star replaced by some text (possibly empty). */
export const nameMatching = (pattern: string) =>
  fc.array(literalText(3), { minLength: pattern.length + 1, maxLength: pattern.length + 1 }).map((fills) =>
    pattern
      .split('*')
      .map((run, i) => (i === 0 ? run : `${fills[i] ?? ''}${run}`))
      .join(''),
  );

export const PROFILES = [
  'arn:aws:signer:us-east-1:111122223333:/signing-profiles/prod_signing',
  'arn:aws:signer:us-east-1:111122223333:/signing-profiles/dev_signing',
  'arn:aws:signer:eu-west-1:444455556666:/signing-profiles/shared_signing',
] as const;

const MAX_FILTERS = 100;

/** Keeps the first 100 filters across the rules, as ECR caps them per rule and we cap the test's work. */
function capFilters(rules: SigningRule[]): SigningRule[] {
  let room = MAX_FILTERS;
  return rules.map((rule) => {
    if (!rule.repositoryFilters) return rule;
    const kept = rule.repositoryFilters.slice(0, room);
    room -= kept.length;
    return { ...rule, repositoryFilters: kept };
  });
}

/**
 * Up to 10 rules drawing their filters from a small pool, so the same filter text often
 * appears in several rules, plus names of which many match some filter of the pool.
 */
export const rulesAndNames = (nameCount: { minLength: number; maxLength: number }, uniqueNames = false) =>
  fc.array(filterPattern, { minLength: 1, maxLength: 40 }).chain((pool) => {
    const rule: fc.Arbitrary<SigningRule> = fc.record({
      signingProfileArn: fc.constantFrom(...PROFILES),
      repositoryFilters: fc.option(
        fc.array(
          fc.constantFrom(...pool).map((filter) => ({ filter, filterType: 'WILDCARD_MATCH' as const })),
          { minLength: 1, maxLength: 30 },
        ),
        { nil: undefined },
      ),
    });
    const name = fc.oneof(wildcardText(), fc.constantFrom(...pool).chain(nameMatching));
    return fc.record({
      rules: fc.array(rule, { maxLength: 10 }).map(capFilters),
      names: uniqueNames ? fc.uniqueArray(name, nameCount) : fc.array(name, nameCount),
    });
  });
