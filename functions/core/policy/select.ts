import { ConfigurationError } from '../errors.js';
import { MATCHES_DESIRED_ID, type PolicySet } from './types.js';

/** The policy set narrowed to the given ids; an unknown id is a usage error, not an empty set. */
export function selectPolicies(policySet: PolicySet, ids: readonly string[]): PolicySet {
  const known = new Set([...policySet.policies.map((p) => p.id), MATCHES_DESIRED_ID]);
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new ConfigurationError(
      `unknown policy ${unknown.map((id) => `'${id}'`).join(', ')} (known: ${[...known].join(', ')})`,
    );
  }
  const wanted = new Set(ids);
  const selected = { ...policySet, policies: policySet.policies.filter((p) => wanted.has(p.id)) };
  return wanted.has(MATCHES_DESIRED_ID) ? selected : { ...selected, withoutMatchesDesired: true };
}

/**
 * True when some policy looks at repository tags, so a live scan must read them
 * (one GetResources per 100 repositories, or one ListTagsForResource per repository where that is
 * refused): only then are they worth the calls.
 */
export function policiesReadRepositoryTags(policySchemas: readonly { schema: unknown }[]): boolean {
  return policySchemas.some((p) => JSON.stringify(p.schema).includes('"tags"'));
}
