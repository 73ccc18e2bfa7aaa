/**
 * The run's remediation step for one target: nothing when off; in `plan` mode the
 * plan is journaled and alerted, nothing is written to ECR.
 */
import type { RemediationMode } from '../config/detector-environment.js';
import type { RemediationPlan } from '../core/remediation-plan.js';
import type { DriftStore, JsonValue } from '../records/drift-store.js';
import type { RemediationStep, TargetRemediation } from './run-types.js';

export interface RemediationStepOptions {
  mode: RemediationMode;
  runId: string;
  store: DriftStore;
  clock: () => Date;
}

export function planSummary(plan: RemediationPlan): string {
  const n = plan.changes.length;
  return `${plan.strategy} plan for ${plan.accountId}/${plan.region}: ${n} change${n === 1 ? '' : 's'}`;
}

function planned(plan: RemediationPlan): TargetRemediation {
  if (plan.status === 'refused') {
    const reason = `plan refused: ${plan.refusals.join('; ')}`;
    return {
      status: 'failed',
      reason,
      alerts: [
        { status: 'failed', summary: planSummary(plan), changes: plan.changes.map((c) => c.action), reason },
      ],
    };
  }
  return {
    status: 'planned',
    reason: null,
    alerts: [{ status: 'planned', summary: planSummary(plan), changes: plan.changes.map((c) => c.action) }],
  };
}

export function remediationStep(options: RemediationStepOptions): RemediationStep {
  return async ({ target, audit }) => {
    const plan = audit.plan;
    if (options.mode === 'off' || !plan || plan.status === 'noop') return null;
    await options.store.saveJournalEntry(
      target,
      {
        runId: options.runId,
        before: plan.before,
        after: plan.after,
        plan: JSON.parse(JSON.stringify(plan)) as JsonValue,
        status: 'planned',
        reason: plan.status === 'refused' ? plan.refusals.join('; ') : null,
      },
      options.clock(),
    );
    return planned(plan);
  };
}
