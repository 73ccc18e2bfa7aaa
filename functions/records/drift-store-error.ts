/** Thrown when the drift record store cannot read or write its records; the original error is in `cause`. */
export class DriftStoreError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DriftStoreError';
  }
}

/** Wraps a failure of `action` in a DriftStoreError, leaving one that already is as it is. */
export function storageFailure(action: string, error: unknown): DriftStoreError {
  if (error instanceof DriftStoreError) return error;
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new DriftStoreError(`${action} failed: ${detail}`, { cause: error });
}
