import { describe, expect, it } from 'vitest';
import { anchorFilter, normalizeFilter } from '../../../functions/core/matching/filter-anchor.js';

describe('anchorFilter', () => {
  it.each([
    ['team/api', { kind: 'literal', key: 'team/api', proves: true }],
    ['*', { kind: 'everything', proves: true }],
    ['***', { kind: 'everything', proves: true }],
    ['myapp/*', { kind: 'prefix', key: 'myapp/', proves: true }],
    ['*/production', { kind: 'suffix', key: '/production', proves: true }],
    ['*prod*', { kind: 'substring', key: 'prod', proves: true }],
    ['team-04*/*-prod', { kind: 'prefix', key: 'team-04', proves: false }],
    ['ab*/*-staging', { kind: 'suffix', key: '-staging', proves: false }],
    ['a*service*b', { kind: 'substring', key: 'service', proves: false }],
    ['ab*ab', { kind: 'prefix', key: 'ab', proves: false }],
  ])('files %s under %o', (pattern, anchor) => {
    expect(anchorFilter(pattern)).toEqual(anchor);
  });
});

describe('normalizeFilter', () => {
  it('collapses runs of stars and leaves everything else alone', () => {
    expect(normalizeFilter('a**b***c*')).toBe('a*b*c*');
    expect(normalizeFilter('team/api')).toBe('team/api');
  });
});
