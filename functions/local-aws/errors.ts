/**
 * Errors of the local AWS endpoint. AwsServiceError is an answer, not a failure:
 * the protocol layer turns it into the service's own error shape.
 */
import { InvalidInputError } from '../core/errors.js';

/** Thrown when a world file (or fault settings given at run time) cannot be read or breaks the world schema. */
export class WorldInvalidError extends InvalidInputError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'WorldInvalidError';
  }
}

/** Thrown by an operation handler to answer the request with an AWS error code, message and status. */
export class AwsServiceError extends Error {
  /** The error code the SDK maps to an exception name, e.g. `SigningConfigurationNotFoundException`. */
  readonly code: string;
  readonly statusCode: number;
  /** Extra members of the error shape (e.g. Organizations' `Reason`). */
  readonly fields: Readonly<Record<string, string>>;

  constructor(
    code: string,
    message: string,
    options: { statusCode?: number; fields?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'AwsServiceError';
    this.code = code;
    this.statusCode = options.statusCode ?? 400;
    this.fields = options.fields ?? {};
  }

  /** `Sender` for client errors, `Receiver` for server faults, as the query protocol's `<Type>` says. */
  get faultType(): 'Sender' | 'Receiver' {
    return this.statusCode >= 500 ? 'Receiver' : 'Sender';
  }
}
