/**
 * The run's remediation step for one target. The gate decides (mode, allow-list, the
 * run's budget); `record` journals and alerts the plan without writing; `apply` goes
 * through the guarded write (re-read, put, read back, journal).
 */
import type { EcrRegistry } from '../aws/ecr-registry.js';
import type { RemediationMode } from '../config/detector-environment.js';
import { configurationHash } from '../core/drift/index.js';
import type { RemediationPlan } from '../core/planning/index.js';
import type { TargetRef } from '../core/types.js';
import type { DriftStore, JsonValue } from '../records/drift-store.js';
import { applyRemediation } from '../remediation/apply-remediation.js';
import { decideRemediation, RemediationBudget } from '../remediation/remediation-gate.js';
import type { RemediationStep, TargetRemediation } from './run-types.js';

export interface RemediationStepOptions {
  mode: RemediationMode;
  allowedAccounts: readonly string[];
  maxPerRun: number;
  runId: string;
  store: DriftStore;
  clock: () => Date;
  /** The ECR adapter for a target, with that account's credentials. */
  ecrFor: (target: TargetRef) => EcrRegistry;
}

export function planSummary(plan: RemediationPlan): string {
  const n = plan.changes.length;
  return `${plan.strategy} plan for ${plan.accountId}/${plan.region}: ${n} change${n === 1 ? '' : 's'}`;
}

const actions = (plan: RemediationPlan) => plan.changes.map((c) => c.action);

async function sameAsLastRecordedPlan(
  store: DriftStore,
  target: TargetRef,
  plan: RemediationPlan,
): Promise<boolean> {
  const [latest] = await store.listJournal(target);
  return (
    latest !== undefined &&
    latest.status === 'planned' &&
    configurationHash(latest.before) === plan.beforeHash &&
    configurationHash(latest.after) === plan.afterHash
  );
}

export function remediationStep(options: RemediationStepOptions): RemediationStep {
  const budget = new RemediationBudget(options.maxPerRun);
  const settings = { mode: options.mode, allowedAccounts: options.allowedAccounts };
  return async ({ target, audit, evaluatedHash }): Promise<TargetRemediation | null> => {
    const plan = audit.plan;
    if (!plan) return null;
    const decision = decideRemediation(settings, budget, plan);
    if (decision.action === 'none') return null;
    if (decision.action === 'record') {
      const refused = plan.status === 'refused';
      const status = refused ? 'failed' : 'planned';
      // The journal keeps a plan once, not once an hour; whether to tell it again is the alert lifecycle's call.
      if (!(await sameAsLastRecordedPlan(options.store, target, plan))) {
        await options.store.saveJournalEntry(
          target,
          {
            runId: options.runId,
            before: plan.before,
            after: plan.after,
            plan: JSON.parse(JSON.stringify(plan)) as JsonValue,
            status: 'planned',
            reason: decision.reason,
          },
          options.clock(),
        );
      }
      return {
        status,
        reason: decision.reason,
        alerts: [
          {
            status,
            summary: planSummary(plan),
            changes: actions(plan),
            ...(refused ? { reason: decision.reason } : {}),
          },
        ],
      };
    }
    const outcome = await applyRemediation(
      { ecr: options.ecrFor(target), store: options.store, runId: options.runId, now: options.clock },
      target,
      plan,
      evaluatedHash,
    );
    if (outcome.status === 'skipped') return { status: 'skipped', reason: outcome.reason, alerts: [] };
    return {
      status: outcome.status,
      reason: outcome.reason,
      ...(outcome.status === 'applied' ? { written: outcome.after } : {}),
      alerts: [
        {
          status: outcome.status,
          summary: planSummary(plan),
          changes: actions(plan),
          ...(outcome.status === 'failed' ? { reason: outcome.reason } : {}),
        },
      ],
    };
  };
}
