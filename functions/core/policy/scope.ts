/** The `scope` keyword: which registries a policy applies to. */
import type { AccountMetadata, RegistryFacts } from '../types.js';
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
    organizationalUnitTags: {
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
  if (scope.accountTags && !tagsMatch(scope.accountTags, facts.account.tags)) return false;
  if (
    scope.organizationalUnitTags &&
    !tagsMatch(scope.organizationalUnitTags, facts.account.organizationalUnitTags ?? {})
  )
    return false;
  return true;
}

/** Every key present with an accepted value. */
function tagsMatch(
  wanted: Record<string, string | string[]>,
  tags: Readonly<Record<string, string>>,
): boolean {
  return Object.entries(wanted).every(([key, accepted]) => {
    const value = tags[key];
    if (value === undefined) return false;
    return typeof accepted === 'string' ? value === accepted : accepted.includes(value);
  });
}

/** What a live scan must read about each account so that the policies' scopes can be judged. */
export interface AccountMetadataNeeds {
  /** Some scope names account tags (Organizations ListTagsForResource per account). */
  tags: boolean;
  /** Some scope names organizational units (the account's place in the organization tree). */
  organizationalUnits: boolean;
  /** Some scope names tags of organizational units (ListTagsForResource per unit on the path). */
  organizationalUnitTags: boolean;
}

export const NO_ACCOUNT_METADATA: AccountMetadataNeeds = {
  tags: false,
  organizationalUnits: false,
  organizationalUnitTags: false,
};

/** What the policies' scopes need to know about accounts. */
export function accountMetadataNeeded(
  policies: readonly { scope: PolicyScope | null }[],
): AccountMetadataNeeds {
  return {
    tags: policies.some((p) => p.scope?.accountTags !== undefined),
    organizationalUnits: policies.some((p) => p.scope?.organizationalUnits !== undefined),
    organizationalUnitTags: policies.some((p) => p.scope?.organizationalUnitTags !== undefined),
  };
}

type ScopeInput = 'account tags' | 'organizational units' | 'organizational unit tags';

/** What the scope names and the account's metadata does not say (a missing list is unknown, an empty one is known). */
export function unknownScopeInputs(
  scope: PolicyScope | null,
  target: { accountId: string; region: string },
  account: AccountMetadata | undefined,
): ScopeInput[] {
  if (!scope) return [];
  // What is known already puts the registry outside the scope: what is unknown cannot change that.
  if (scope.accounts && !scope.accounts.includes(target.accountId)) return [];
  if (scope.regions && !scope.regions.includes(target.region)) return [];
  const unknown: ScopeInput[] = [];
  if (scope.organizationalUnits && account?.organizationalUnitPath === undefined)
    unknown.push('organizational units');
  if (scope.accountTags && account?.tags === undefined) unknown.push('account tags');
  if (scope.organizationalUnitTags && account?.organizationalUnitTags === undefined)
    unknown.push('organizational unit tags');
  return unknown;
}
