/**
 * The remediation gate: whether a run may apply a target's plan. Pure apart from the
 * run's budget, which counts the plans granted so far.
 *
 * - `off`: nothing, not even a recorded plan;
 * - `plan`: the plan is recorded and alerted, nothing is written;
 * - `apply`: written only for a `ready` plan of an account on the allow-list, while the
 *   run's budget lasts; any other plan is recorded as in `plan`.
 */

import type { RemediationMode } from '../config/detector-environment.js';
import { ConfigurationError } from '../core/errors.js';
import type { RemediationPlan } from '../core/planning/index.js';

export interface RemediationSettings {
  mode: RemediationMode;
  /** Accounts where `apply` may write. */
  allowedAccounts: readonly string[];
}

/** none: nothing to record or write; record: record and alert the plan only; apply: write it. */
export type RemediationAction = 'none' | 'record' | 'apply';

export interface RemediationDecision {
  action: RemediationAction;
  /** Why, in words, for the run summary and the alert. */
  reason: string;
}

/**
 * At most `limit` remediations for one run, shared by all its targets. A grant is taken
 * in one synchronous step (no await between the check and the count), so callers running
 * concurrently in the process can never be granted more than `limit` between them.
 * A grant is spent even if the write then fails: the limit bounds how many registries
 * one run may touch.
 */
export class RemediationBudget {
  readonly limit: number;
  #granted = 0;

  constructor(limit: number) {
    if (!Number.isSafeInteger(limit) || limit < 0) {
      throw new ConfigurationError(`the remediation limit must be a whole number from 0, not ${limit}`);
    }
    this.limit = limit;
  }

  get granted(): number {
    return this.#granted;
  }

  /** Takes one remediation from the budget; false when none is left. */
  tryTake(): boolean {
    if (this.#granted >= this.limit) return false;
    this.#granted += 1;
    return true;
  }
}

/** Decides what the run does with one target's plan; takes from `budget` only when the answer is `apply`. */
export function decideRemediation(
  settings: RemediationSettings,
  budget: RemediationBudget,
  plan: RemediationPlan,
): RemediationDecision {
  if (settings.mode === 'off') return { action: 'none', reason: 'remediation is off' };
  if (plan.status === 'noop') {
    return { action: 'none', reason: 'the registry already has the planned configuration' };
  }
  if (plan.status === 'refused') {
    return { action: 'record', reason: `plan refused: ${plan.refusals.join('; ')}` };
  }
  if (settings.mode === 'plan') {
    return { action: 'record', reason: 'remediation mode is plan: the plan is recorded, nothing is written' };
  }
  if (!settings.allowedAccounts.includes(plan.accountId)) {
    return {
      action: 'record',
      reason: `account ${plan.accountId} is not on the remediation allow-list`,
    };
  }
  // Last, so that plans which could not be applied anyway leave the budget alone.
  if (!budget.tryTake()) {
    return { action: 'record', reason: `the run's limit of ${budget.limit} remediations is reached` };
  }
  return { action: 'apply', reason: `remediation ${budget.granted} of at most ${budget.limit} in this run` };
}
