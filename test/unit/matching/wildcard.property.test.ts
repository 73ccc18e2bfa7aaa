import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isLiteralFilter, wildcardMatch } from '../../../functions/core/matching/wildcard.js';
import { literalText, nameMatching, wildcardText } from '../../support/arbitraries.js';

/**
 * The definition, read off directly: a star either matches nothing more or eats one
 * more character; anything else must equal the next character. Memoised on
 * (pattern position, name position) so the test stays fast; obviously right, not clever.
 */
function referenceMatch(pattern: string, name: string): boolean {
  const memo = new Map<number, boolean>();
  const matchFrom = (p: number, n: number): boolean => {
    const key = p * (name.length + 1) + n;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (p === pattern.length) result = n === name.length;
    else if (pattern[p] === '*') result = matchFrom(p + 1, n) || (n < name.length && matchFrom(p, n + 1));
    else result = n < name.length && pattern[p] === name[n] && matchFrom(p + 1, n + 1);
    memo.set(key, result);
    return result;
  };
  return matchFrom(0, 0);
}

describe('wildcardMatch properties', () => {
  it('agrees with the reference matcher on random filters and names', () => {
    fc.assert(
      fc.property(wildcardText(), wildcardText(), (pattern, name) => {
        expect(wildcardMatch(pattern, name)).toBe(referenceMatch(pattern, name));
      }),
      { numRuns: 5000 },
    );
  });

  it('matches every name made by filling the stars of a filter', () => {
    fc.assert(
      fc.property(
        wildcardText().chain((pattern) => fc.tuple(fc.constant(pattern), nameMatching(pattern))),
        ([pattern, name]) => {
          expect(wildcardMatch(pattern, name)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('matches a filter without stars to that exact name only', () => {
    fc.assert(
      fc.property(literalText(6), wildcardText(6), (pattern, name) => {
        expect(isLiteralFilter(pattern)).toBe(true);
        expect(wildcardMatch(pattern, name)).toBe(pattern === name);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('wildcardMatch documented cases', () => {
  it.each([
    ['myapp/*', 'myapp/api', true],
    ['myapp/*', 'myapp/team/api', true],
    ['myapp/*', 'myapp/', true],
    ['myapp/*', 'myapp', false],
    ['myapp/*', 'other/myapp/api', false],
    ['*/production', 'web/production', true],
    ['*/production', 'a/b/production', true],
    ['*/production', 'production', false],
    ['*/production', 'web/production-eu', false],
    ['*prod*', 'prod', true],
    ['*prod*', 'team/api-prod-eu', true],
    ['*prod*', 'team/api-pro-d', false],
    ['team/api', 'team/api', true],
    ['team/api', 'team/api2', false],
    ['team/api', 'xteam/api', false],
    ['*', '', true],
    ['*', 'any/name-at-all', true],
    ['a*b', 'ab', true],
    ['a*b', 'a/x/b', true],
    ['a*b', 'a', false],
    ['a*b*c', 'abc', true],
    ['**', 'x', true],
  ])('%s against %s is %s', (pattern, name, expected) => {
    expect(wildcardMatch(pattern, name)).toBe(expected);
  });

  it('matches the whole name, not a part of it', () => {
    expect(wildcardMatch('api', 'team/api')).toBe(false);
    expect(wildcardMatch('team', 'team/api')).toBe(false);
    expect(wildcardMatch('*api', 'team/api-v2')).toBe(false);
    expect(wildcardMatch('team*', 'my-team/api')).toBe(false);
  });

  it('rejects a many-star filter that nearly matches a long name without blowing up', () => {
    const pattern = `${'*a'.repeat(10)}*b`;
    const name = 'a'.repeat(256);
    expect(wildcardMatch(pattern, name)).toBe(false);
    expect(wildcardMatch(pattern, `${name}b`)).toBe(true);
  }, 10_000);
});
