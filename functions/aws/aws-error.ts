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

/** The names AWS gives an expired security token: `ExpiredToken` in SNS (query protocol), `ExpiredTokenException` elsewhere. */
const EXPIRED_TOKEN_NAMES: readonly string[] = ['ExpiredTokenException', 'ExpiredToken'];

/** True when an exception name is AWS's for expired temporary credentials. */
export function isExpiredCredentialsName(errorName: string): boolean {
  return EXPIRED_TOKEN_NAMES.includes(errorName);
}

/** True when AWS answered that the request's temporary credentials have expired (HTTP 400): new ones fix it. */
export function isExpiredCredentials(error: unknown): boolean {
  return error instanceof Error && isExpiredCredentialsName(error.name);
}

/**
 * True when AWS refused the caller outright (AccessDenied, HTTP 403): asking again in
 * the same run gets the same answer, unlike throttling, server and network errors, and
 * unlike expired credentials, which new credentials fix.
 */
export function isAccessRefusal(error: unknown): boolean {
  if (!(error instanceof Error) || isExpiredCredentials(error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return error.name === 'AccessDenied' || error.name === 'AccessDeniedException' || status === 403;
}

/** Thrown when one AWS operation fails after the SDK's retries; `operation` names it, `cause` is the SDK error. */
export class AwsOperationError extends Error {
  constructor(
    readonly operation: string,
    options: { cause: unknown },
  ) {
    super(`${operation} failed: ${summarizeAwsError(options.cause).message}`, options);
    this.name = 'AwsOperationError';
  }
}

/** Runs one AWS operation, naming it in any failure (an AwsOperationError passes through unchanged). */
export async function runOperation<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof AwsOperationError) throw error;
    throw new AwsOperationError(operation, { cause: error });
  }
}
