export type { FilterMatch, RepositoryMatcher } from './repository-matcher.js';
export {
  createNaiveRepositoryMatcher,
  createRepositoryMatcher,
  listFilters,
  MAX_MASKED_RULES,
  matcherFrom,
} from './repository-matcher.js';
