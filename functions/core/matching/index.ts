export type { FilterMatch, RepositoryMatcher } from './repository-matcher.js';
export {
  createNaiveRepositoryMatcher,
  createRepositoryMatcher,
  listFilters,
  MAX_MASKED_RULES,
  matcherFrom,
  zeroCounts,
} from './repository-matcher.js';
