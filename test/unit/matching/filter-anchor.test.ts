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

describe('anchorFilter with the runs other filters share', () => {
  const shares: Record<string, number> = {
    'workloads/service-': 47,
    '-staging-8': 1,
    'org-': 60,
    '/team-0': 40,
  };
  const sharedBy = (run: string) => shares[run] ?? 1;

  it('files a filter under the run fewest filters share, not the longest', () => {
    expect(anchorFilter('*workloads/service-*-staging-8*', sharedBy)).toEqual({
      kind: 'substring',
      key: '-staging-8',
      proves: false,
    });
    expect(anchorFilter('org-*/team-0*/*service-7-*', sharedBy)).toEqual({
      kind: 'substring',
      key: 'service-7-',
      proves: false,
    });
  });

  it('keeps the longest run when the rarer ones are shorter than three characters', () => {
    expect(anchorFilter('workloads/service-*-a*', sharedBy)).toEqual({
      kind: 'prefix',
      key: 'workloads/service-',
      proves: false,
    });
  });
});

describe('normalizeFilter', () => {
  it('collapses runs of stars and leaves everything else alone', () => {
    expect(normalizeFilter('a**b***c*')).toBe('a*b*c*');
    expect(normalizeFilter('team/api')).toBe('team/api');
  });
});
