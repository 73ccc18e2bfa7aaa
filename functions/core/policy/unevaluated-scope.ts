/**
 * A policy whose scope names what is not known about the registry's account (its tags or
 * its organizational units were not read) cannot be judged in or out of scope: it is not
 * applied, and that is a warning, never a silent non-match.
 */
import type { RegistrySnapshot, ScanError } from '../types.js';
import { unknownScopeInputs } from './scope.js';
import type { PolicyScope } from './types.js';

export const SCOPE_NOT_EVALUATED = 'ScopeNotEvaluated';

/** The policies a registry's audit could not apply, and the warning that says so. */
export interface UnevaluatedScope {
  policyIds: string[];
  warning: ScanError;
}

/** Every policy not applied to the registry for want of account metadata, with one warning naming them; or null. */
export function unevaluatedScope(
  policies: readonly { id: string; scope: PolicyScope | null }[],
  registry: Pick<RegistrySnapshot, 'accountId' | 'region' | 'account'>,
): UnevaluatedScope | null {
  const policyIds: string[] = [];
  const unapplied: string[] = [];
  for (const policy of policies) {
    const unknown = unknownScopeInputs(policy.scope, registry, registry.account);
    if (unknown.length === 0) continue;
    policyIds.push(policy.id);
    unapplied.push(`${policy.id} (${unknown.join(', ')})`);
  }
  if (policyIds.length === 0) return null;
  const warning: ScanError = {
    accountId: registry.accountId,
    region: registry.region,
    operation: 'EvaluateScope',
    errorName: SCOPE_NOT_EVALUATED,
    message:
      `not applied, their scope names what is not known about account ${registry.accountId}: ${unapplied.join(', ')}; ` +
      'account tags and organizational units are read from AWS Organizations (the caller needs organizations:ListParents and ListTagsForResource)',
  };
  return { policyIds, warning };
}
