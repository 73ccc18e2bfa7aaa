/**
 * What became of one remediation or rollback of one target: plain JSON, because it goes
 * into alerts and run summaries as it is.
 */

import type { AwsErrorSummary } from '../aws/aws-error.js';
import type { RemediationPlan } from '../core/planning/index.js';
import type { SigningConfiguration } from '../core/types.js';
import type { OverwrittenChange } from '../records/drift-store.js';

/** remediation: a plan applied by a run; rollback: a remediation undone. */
export type RegistryChangeKind = 'remediation' | 'rollback';

/** The step at which a change stopped: the check before writing, the write, or the read-back. */
export type FailedStep = 'check' | 'write' | 'read-back';

interface OutcomeBase {
  kind: RegistryChangeKind;
  accountId: string;
  region: string;
  /** The run that made (or skipped) the change; its journal entry is keyed by it. */
  runId: string;
  /** For a rollback: the run whose remediation it undoes. */
  rollbackOf?: string;
  /** In words, for alerts and summaries. */
  reason: string;
  /** The configuration the change starts from (null: never configured). */
  before: SigningConfiguration | null;
  /** The configuration the change puts (null: the registry is returned to never configured). */
  after: SigningConfiguration | null;
}

export interface AppliedOutcome extends OutcomeBase {
  status: 'applied';
  /** Writes by someone else between the last read and the write, which this change replaced. */
  overwroteConcurrentChange?: OverwrittenChange[];
}

export interface FailedOutcome extends OutcomeBase {
  status: 'failed';
  step: FailedStep;
  /** The AWS (or network) error of the failed call; null when every call succeeded but a check did not. */
  error: AwsErrorSummary | null;
  /** The registry's configuration when the attempt ended, as read; absent when it could not be read. */
  observed?: SigningConfiguration | null;
  /**
   * True when the registry holds what it held before this attempt (nothing of the attempt
   * remains), false when it holds something else, null when that could not be read.
   */
  leftAsFound: boolean | null;
}

/** Nothing was journaled or written. */
export interface SkippedOutcome extends OutcomeBase {
  status: 'skipped';
}

export type RemediationOutcome = AppliedOutcome | FailedOutcome | SkippedOutcome;

/** The outcome of a plan the run does not apply (the gate said no, or the plan is not ready), with why. */
export function skippedRemediation(runId: string, plan: RemediationPlan, reason: string): SkippedOutcome {
  return {
    kind: 'remediation',
    status: 'skipped',
    accountId: plan.accountId,
    region: plan.region,
    runId,
    reason,
    before: plan.before,
    after: plan.after,
  };
}
