/**
 * The run's remediation step for one target. The gate decides (mode, allow-list, the
 * run's budget); `record` journals and alerts the plan without writing; `apply` goes
 * through the guarded write (re-read, put, read back, journal).
 */
import type { EcrRegistry } from '../aws/ecr-registry.js';
import type { RemediationMode } from '../config/detector-environment.js';
import type { LostChange } from '../core/alerts/index.js';
import { configurationHash, describeConfigurationChange } from '../core/drift/index.js';
import type { RemediationPlan } from '../core/planning/index.js';
import type { TargetRef } from '../core/types.js';
import type { DriftStore, JsonValue, OverwrittenChange } from '../records/drift-store.js';
import { applyRemediation } from '../remediation/apply-remediation.js';
import type { ConcurrentWriteCheck } from '../remediation/concurrent-writes.js';
import {
  decideRemediation,
  RemediationBudget,
  type RemediationDecision,
  runRemediationCounter,
} from '../remediation/remediation-gate.js';
import { findHold, holdReason } from '../remediation/remediation-hold.js';
import type { RemediationOutcome } from '../remediation/remediation-outcome.js';
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
  /** Who else wrote a target while it was remediated (CloudTrail); without it nobody is asked. */
  concurrentWritesFor?: (target: TargetRef) => ConcurrentWriteCheck;
}

export function planSummary(plan: RemediationPlan): string {
  const n = plan.changes.length;
  return `${plan.strategy} plan for ${plan.accountId}/${plan.region}: ${n} change${n === 1 ? '' : 's'}`;
}

const actions = (plan: RemediationPlan) => plan.changes.map((c) => c.action);

/** An overwritten change in words: what it changed from the configuration the run had evaluated. */
export function lostChange(plan: RemediationPlan, change: OverwrittenChange): LostChange {
  return {
    principal: change.principal,
    eventTime: change.eventTime,
    eventName: change.eventName,
    configuration:
      change.signingConfiguration === undefined
        ? []
        : describeConfigurationChange(plan.before, change.signingConfiguration),
  };
}

/** In apply mode a held target gets its plan recorded instead of written; the budget is left alone. */
async function heldDecision(
  options: RemediationStepOptions,
  target: TargetRef,
  plan: RemediationPlan,
): Promise<RemediationDecision | null> {
  if (options.mode !== 'apply' || plan.status !== 'ready') return null;
  const hold = findHold(await options.store.listJournal(target));
  return hold ? { action: 'record', reason: holdReason(target, hold) } : null;
}

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

/** Applies, giving the budget's grant back when the apply wrote nothing. */
async function applyWithBudget(
  budget: RemediationBudget,
  apply: () => Promise<RemediationOutcome>,
): Promise<RemediationOutcome> {
  const outcome = await apply();
  if (outcome.status === 'skipped' || (outcome.status === 'failed' && outcome.leftAsFound === true)) {
    await budget.giveBack();
  }
  return outcome;
}

export function remediationStep(options: RemediationStepOptions): RemediationStep {
  const budget = new RemediationBudget(
    options.maxPerRun,
    runRemediationCounter(options.store, options.runId, options.clock),
  );
  const settings = { mode: options.mode, allowedAccounts: options.allowedAccounts };
  return async ({ target, audit, evaluatedHash }): Promise<TargetRemediation | null> => {
    const plan = audit.plan;
    if (!plan) return null;
    const decision =
      (await heldDecision(options, target, plan)) ?? (await decideRemediation(settings, budget, plan));
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
    const concurrentWrites = options.concurrentWritesFor?.(target);
    const outcome = await applyWithBudget(budget, () =>
      applyRemediation(
        {
          ecr: options.ecrFor(target),
          store: options.store,
          runId: options.runId,
          now: options.clock,
          ...(concurrentWrites ? { concurrentWrites } : {}),
        },
        target,
        plan,
        evaluatedHash,
      ),
    );
    if (outcome.status === 'skipped') return { status: 'skipped', reason: outcome.reason, alerts: [] };
    const overwritten = outcome.status === 'applied' ? (outcome.overwroteConcurrentChange ?? []) : [];
    if (overwritten.length > 0) {
      return {
        status: 'applied',
        reason: outcome.reason,
        written: outcome.after,
        alerts: [
          {
            status: 'conflict',
            summary: planSummary(plan),
            changes: actions(plan),
            reason: holdReason(target, { runId: options.runId, overwroteConcurrentChange: overwritten }),
            lostChanges: overwritten.map((change) => lostChange(plan, change)),
          },
        ],
      };
    }
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
