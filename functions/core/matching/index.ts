export type { FilterMatch, RepositoryMatcher } from './repository-matcher.js';
export { createNaiveRepositoryMatcher, createRepositoryMatcher, listFilters } from './repository-matcher.js';
