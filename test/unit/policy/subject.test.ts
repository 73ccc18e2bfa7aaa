import { describe, expect, it } from 'vitest';
import { subjectOf } from '../../../functions/core/policy/subject.js';
import { approvedProfile, facts, otherProfile, rule } from './helpers.js';

const registryFacts = () =>
  facts({
    signingConfiguration: { rules: [rule(approvedProfile, 'web*'), rule(approvedProfile, '*eb', 'api')] },
    repositories: [{ repositoryName: 'api' }, { repositoryName: 'web' }, { repositoryName: 'docs' }],
  });

describe('subjectOf', () => {
  it('finds the repository an error path goes into, and the profile of its duplicate-signing entry', () => {
    const f = registryFacts();
    const web = f.repositories.findIndex((r) => r.repositoryName === 'web');
    expect(subjectOf(f, `/repositories/${web}/covered`)).toMatchObject({
      kind: 'repository',
      path: `/repositories/${web}`,
      repositoryName: 'web',
      identity: ['repository', 'web'],
    });
    expect(subjectOf(f, `/repositories/${web}/duplicateSigning/0/ruleIndexes`)).toMatchObject({
      kind: 'repository',
      path: `/repositories/${web}/duplicateSigning/0`,
      repositoryName: 'web',
      signingProfileArn: approvedProfile,
    });
    const docs = f.uncoveredRepositories.indexOf('docs');
    expect(subjectOf(f, `/uncoveredRepositories/${docs}`)).toMatchObject({
      kind: 'repository',
      path: `/uncoveredRepositories/${docs}`,
      repositoryName: 'docs',
    });
  });

  it('finds filters and rules in both the derived rules and the API-shaped configuration', () => {
    const f = registryFacts();
    expect(subjectOf(f, '/rules/1/filters/1/filter')).toMatchObject({
      kind: 'filter',
      path: '/rules/1/filters/1',
      ruleIndex: 1,
      filter: 'api',
    });
    expect(subjectOf(f, '/signingConfiguration/rules/1/repositoryFilters/0')).toMatchObject({
      kind: 'filter',
      path: '/signingConfiguration/rules/1/repositoryFilters/0',
      filter: '*eb',
    });
    expect(subjectOf(f, '/signingConfiguration/rules/0/signingProfileArn')).toMatchObject({
      kind: 'rule',
      path: '/signingConfiguration/rules/0',
      ruleIndex: 0,
    });
  });

  it('falls back to the registry for indexes that are not plain array indexes or are out of range', () => {
    const f = registryFacts();
    for (const path of [
      '/repositories/01',
      '/repositories/1x',
      '/repositories/',
      '/repositories/99',
      '/rules/-1',
      '/repositoriesX/0',
      '/repositorie/0',
      '',
    ]) {
      expect(subjectOf(f, path), path).toMatchObject({ kind: 'registry', path: '', identity: ['registry'] });
    }
    expect(subjectOf(f, '/profiles/0').kind).toBe('profile');
    expect(
      subjectOf(facts({ signingConfiguration: { rules: [rule(otherProfile, 'a')] } }), '/rules/0/filters/7'),
    ).toMatchObject({ kind: 'rule', path: '/rules/0' });
  });
});
