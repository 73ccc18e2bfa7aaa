/**
 * The remediation gate: whether a run may apply a target's plan. Pure apart from the
 * run's budget, which counts the plans granted so far in the records.
 *
 * - `off`: nothing, not even a recorded plan;
 * - `plan`: the plan is recorded and alerted, nothing is written;
 * - `apply`: written only for a `ready` plan of an account on the allow-list, while the
 *   run's budget lasts; any other plan is recorded as in `plan`.
 */

import type { RemediationMode } from '../config/detector-environment.js';
import { ConfigurationError } from '../core/errors.js';
import type { RemediationPlan } from '../core/planning/index.js';
import type { DriftStore } from '../records/drift-store.js';

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

/** A count shared by every process of a run (a DriftStore counter), taken from atomically. */
export interface SharedCounter {
  /** Takes one when fewer than `limit` are taken: the count with this one, or null. */
  take(limit: number): Promise<number | null>;
  giveBack(): Promise<void>;
}

/** The run's remediation count in the records, so scale-out workers of one run share it. */
export function runRemediationCounter(store: DriftStore, runId: string, clock: () => Date): SharedCounter {
  const name = `remediations:${runId}`;
  return {
    take: (limit) => store.takeFromCounter(name, limit, clock()),
    giveBack: () => store.giveBackToCounter(name),
  };
}

/**
 * At most `limit` remediations for one run, shared by all its targets and, through the
 * records, by every worker of a scale-out run: each grant is one conditional take from the
 * run's counter, so concurrent callers, in this process or another, never get more than
 * `limit` between them. A grant whose apply wrote nothing (refused when the registry changed,
 * or failed and left as found) is given back; one that may have written stays spent: the
 * limit bounds how many registries one run may touch.
 */
export class RemediationBudget {
  readonly limit: number;
  readonly #counter: SharedCounter;
  #granted = 0;

  constructor(limit: number, counter: SharedCounter) {
    if (!Number.isSafeInteger(limit) || limit < 0) {
      throw new ConfigurationError(`the remediation limit must be a whole number from 0, not ${limit}`);
    }
    this.limit = limit;
    this.#counter = counter;
  }

  /** Grants this budget holds (taken and not given back). */
  get granted(): number {
    return this.#granted;
  }

  /** Takes one remediation: its number in the run, or null when none is left. */
  async tryTake(): Promise<number | null> {
    if (this.limit === 0) return null;
    const taken = await this.#counter.take(this.limit);
    if (taken !== null) this.#granted += 1;
    return taken;
  }

  /** Gives back a grant whose apply wrote nothing. */
  async giveBack(): Promise<void> {
    if (this.#granted === 0) return;
    this.#granted -= 1;
    await this.#counter.giveBack();
  }
}

/** Decides what the run does with one target's plan; takes from `budget` only when the answer is `apply`. */
export async function decideRemediation(
  settings: RemediationSettings,
  budget: RemediationBudget,
  plan: RemediationPlan,
): Promise<RemediationDecision> {
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
  const taken = await budget.tryTake();
  if (taken === null) {
    return { action: 'record', reason: `the run's limit of ${budget.limit} remediations is reached` };
  }
  return { action: 'apply', reason: `remediation ${taken} of at most ${budget.limit} in this run` };
}
