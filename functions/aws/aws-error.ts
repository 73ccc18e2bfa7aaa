/** What a scan error report needs from any AWS SDK (or network) failure. */
export interface AwsErrorSummary {
  errorName: string;
  message: string;
}

/** Reduces an SDK error to its exception name and AWS's message; never includes request payloads. */
export function summarizeAwsError(error: unknown): AwsErrorSummary {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const name =
      error.name && error.name !== 'Error' ? error.name : typeof code === 'string' ? code : 'Error';
    return { errorName: name, message: error.message || name };
  }
  return { errorName: 'Error', message: String(error) };
}

/** True when the SDK error is the named AWS exception. */
export function isAwsError(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}
