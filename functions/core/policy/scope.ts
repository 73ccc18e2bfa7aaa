/** The `scope` keyword: which registries a policy applies to. */
import type { RegistryFacts } from '../types.js';
import type { PolicyScope } from './types.js';

/** The shape `scope` must have; ajv checks it wherever the keyword appears. */
export const POLICY_SCOPE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    accounts: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^[0-9]{12}$' } },
    regions: {
      type: 'array',
      minItems: 1,
      items: { type: 'string', pattern: '^[a-z]{2}(-[a-z]+)+-[0-9]+$' },
    },
    organizationalUnits: {
      type: 'array',
      minItems: 1,
      items: { type: 'string', pattern: '^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[0-9a-z]{8,32})$' },
    },
    accountTags: {
      type: 'object',
      minProperties: 1,
      additionalProperties: {
        anyOf: [{ type: 'string' }, { type: 'array', minItems: 1, items: { type: 'string' } }],
      },
    },
  },
} as const;

/** True when the registry the facts describe is in the scope (no scope: every registry). */
export function isInScope(scope: PolicyScope | null, facts: RegistryFacts): boolean {
  if (!scope) return true;
  if (scope.accounts && !scope.accounts.includes(facts.accountId)) return false;
  if (scope.regions && !scope.regions.includes(facts.region)) return false;
  if (scope.organizationalUnits) {
    const path = facts.account.organizationalUnitPath;
    if (!scope.organizationalUnits.some((ou) => path.includes(ou))) return false;
  }
  if (scope.accountTags) {
    for (const [key, accepted] of Object.entries(scope.accountTags)) {
      const value = facts.account.tags[key];
      if (value === undefined) return false;
      if (typeof accepted === 'string' ? value !== accepted : !accepted.includes(value)) return false;
    }
  }
  return true;
}
