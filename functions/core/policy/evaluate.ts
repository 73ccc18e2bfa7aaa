/** Applies a policy set to one registry's facts. A violation is a finding, never an exception. */
import { PolicyEvaluationTimeoutError } from '../errors.js';
import type { Finding, RegistryFacts } from '../types.js';
import { findingsFromErrors } from './findings.js';
import { oneErrorPerViolation } from './one-error-per-violation.js';
import { isInScope } from './scope.js';
import type { CompiledPolicy, PolicySet } from './types.js';

/**
 * How long one registry's evaluation may take. Patterns are linear-time, so only a huge
 * registry under many policies comes near it; the clock is checked after each policy.
 */
export interface EvaluationBudget {
  timeoutMs: number;
  /** Milliseconds from any fixed origin. */
  now: () => number;
}

export const DEFAULT_EVALUATION_BUDGET: EvaluationBudget = {
  timeoutMs: 30_000,
  now: () => performance.now(),
};

/**
 * Every finding of every policy whose scope includes the registry, in policy order.
 * Throws PolicyEvaluationTimeoutError when the budget runs out.
 */
export function evaluatePolicies(
  policySet: PolicySet,
  facts: RegistryFacts,
  budget: EvaluationBudget = DEFAULT_EVALUATION_BUDGET,
): Finding[] {
  const started = budget.now();
  const findings: Finding[] = [];
  for (const policy of policySet.policies) {
    findings.push(...evaluatePolicy(policy, facts));
    if (budget.now() - started > budget.timeoutMs) {
      throw new PolicyEvaluationTimeoutError(
        `evaluating the policies on ${facts.accountId}/${facts.region} took longer than ${budget.timeoutMs} ms (at policy ${policy.id})`,
      );
    }
  }
  return findings;
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
  return findingsFromErrors(policy, facts, oneErrorPerViolation(reported));
}
