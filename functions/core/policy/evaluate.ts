/** Applies a policy set to one registry's facts. A violation is a finding, never an exception. */
import type { Finding, RegistryFacts } from '../types.js';
import { authoredErrors } from './error-messages.js';
import { findingsFromErrors } from './findings.js';
import { isInScope } from './scope.js';
import type { CompiledPolicy, PolicySet } from './types.js';

/** Every finding of every policy whose scope includes the registry, in policy order. */
export function evaluatePolicies(policySet: PolicySet, facts: RegistryFacts): Finding[] {
  return policySet.policies.flatMap((policy) => evaluatePolicy(policy, facts));
}

/** One policy's findings on one registry (none when the registry is outside its scope). */
export function evaluatePolicy(policy: CompiledPolicy, facts: RegistryFacts): Finding[] {
  if (!isInScope(policy.scope, facts)) return [];
  if (policy.validate(facts)) return [];
  const errors = policy.validate.errors ?? [];
  // A schema can fail without saying why (ajv always says, but a precompiled module is input too).
  const reported = errors.length
    ? errors
    : [{ instancePath: '', schemaPath: '#', keyword: 'false schema', params: {}, message: 'is rejected' }];
  return findingsFromErrors(policy, facts, authoredErrors(reported, policy.messages));
}
