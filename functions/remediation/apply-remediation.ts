/**
 * Applies a `ready` remediation plan to its registry through the guarded change: journaled
 * first, written only if the registry still has the configuration the run evaluated, and
 * verified by reading it back. AWS failures are outcomes; only journal failures throw.
 */
import { configurationHash } from '../core/drift/index.js';
import type { RemediationPlan } from '../core/planning/index.js';
import type { TargetRef } from '../core/types.js';
import { RemediationTargetMismatchError } from './errors.js';
import { applyGuardedChange, type RemediationContext } from './guarded-change.js';
import { type RemediationOutcome, skippedRemediation } from './remediation-outcome.js';

/**
 * Applies `plan` to `target`'s registry. `evaluatedHash` is the hash of the configuration
 * the run evaluated; if the registry no longer has it just before the write, nothing is
 * written. Throws RemediationTargetMismatchError when the plan is for another registry,
 * RemediationJournalError when the journal cannot be written.
 */
export async function applyRemediation(
  context: RemediationContext,
  target: TargetRef,
  plan: RemediationPlan,
  evaluatedHash: string,
): Promise<RemediationOutcome> {
  if (plan.accountId !== target.accountId || plan.region !== target.region) {
    throw new RemediationTargetMismatchError(target, plan);
  }
  if (plan.status === 'noop') {
    return skippedRemediation(context.runId, plan, 'the registry already has the planned configuration');
  }
  if (plan.status === 'refused') {
    return skippedRemediation(context.runId, plan, `plan refused: ${plan.refusals.join('; ')}`);
  }
  // Hashed here rather than trusting plan.beforeHash: the plan may have travelled as JSON.
  if (configurationHash(plan.before) !== evaluatedHash) {
    return skippedRemediation(
      context.runId,
      plan,
      'the plan was not made from the configuration the run evaluated',
    );
  }
  const actions = plan.changes.map((change) => change.action);
  return applyGuardedChange(context, {
    kind: 'remediation',
    target,
    expectedHash: evaluatedHash,
    before: plan.before,
    after: plan.after,
    plan,
    successStatus: 'applied',
    words: {
      changed: 'the registry changed since evaluation: nothing was written',
      readBackDiffers: 'the configuration read back differs from the plan',
      succeeded:
        actions.length > 0 ? `applied the ${plan.strategy} plan: ${actions.join('; ')}` : 'applied the plan',
    },
  });
}
