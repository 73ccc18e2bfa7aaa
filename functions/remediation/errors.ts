/** Errors of applying and rolling back remediations; AWS failures are outcomes, not these. */
import { InvalidInputError } from '../core/errors.js';
import type { TargetRef } from '../core/types.js';
import { describeTarget } from '../records/drift-store-error.js';

/**
 * Thrown when the remediation journal cannot be read or written. The message says whether
 * the registry had been changed by then; the store's error is in `cause`.
 */
export class RemediationJournalError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RemediationJournalError';
  }
}

/** Thrown when a plan is given for another registry than the target it is to be applied to. */
export class RemediationTargetMismatchError extends Error {
  constructor(target: TargetRef, planTarget: TargetRef) {
    super(`the plan is for ${describeTarget(planTarget)}, not for ${describeTarget(target)}`);
    this.name = 'RemediationTargetMismatchError';
  }
}

/** Thrown when a rollback is asked for and the target's journal has no applied remediation to undo (of that run, when one is named). */
export class RollbackNotPossibleError extends InvalidInputError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RollbackNotPossibleError';
  }
}

/** Thrown when a release is asked for a target that no overwritten concurrent change holds. */
export class NothingToReleaseError extends InvalidInputError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NothingToReleaseError';
  }
}
