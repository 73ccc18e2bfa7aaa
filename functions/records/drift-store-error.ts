import type { TargetRef } from '../core/types.js';

/** Thrown when the drift record store cannot read or write its records; the original error is in `cause`. */
export class DriftStoreError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DriftStoreError';
  }
}

/**
 * Thrown when one target's record cannot be parsed (a truncated or hand-edited file). It
 * is that target's error only: the record has been moved aside (`movedTo`) so the next run
 * starts the target afresh, and the other targets go on.
 */
export class CorruptRecordError extends DriftStoreError {
  readonly movedTo: string;

  constructor(message: string, movedTo: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CorruptRecordError';
    this.movedTo = movedTo;
  }
}

/** Wraps a failure of `action` in a DriftStoreError, leaving one that already is as it is. */
export function storageFailure(action: string, error: unknown): DriftStoreError {
  if (error instanceof DriftStoreError) return error;
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new DriftStoreError(`${action} failed: ${detail}`, { cause: error });
}

/** Runs a storage operation, reporting any failure as a DriftStoreError that names the action. */
export async function withStorageErrors<T>(action: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw storageFailure(action, error);
  }
}

/** A target as error messages name it. */
export function describeTarget(target: TargetRef): string {
  return `${target.accountId}/${target.region}`;
}
