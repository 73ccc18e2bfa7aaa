/**
 * Errors the tool raises on purpose. Each says when it is thrown; the original error,
 * when there is one, travels in `cause`. Anything extending InvalidInputError is the
 * user's input at fault: entry points print its message as one line and exit 2.
 */

/** Thrown when input from a user (a file, a flag, an event, an environment variable) is unusable. */
export class InvalidInputError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidInputError';
  }
}

/** Thrown when a snapshot file cannot be read, is not JSON, or does not follow the snapshot schema. */
export class SnapshotInvalidError extends InvalidInputError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SnapshotInvalidError';
  }
}

/** Thrown when a policy set cannot be loaded whole: bad JSON, a schema ajv rejects, bad metadata, duplicate ids, bad $ref. */
export class PolicyLoadError extends InvalidInputError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PolicyLoadError';
  }
}

/** Thrown when a desired-configuration file is unreadable or not a valid signing configuration. */
export class DesiredConfigurationError extends InvalidInputError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DesiredConfigurationError';
  }
}

/** Thrown when command-line flags, environment variables or an invocation payload are invalid. */
export class ConfigurationError extends InvalidInputError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConfigurationError';
  }
}

/**
 * Thrown when a live scan cannot start at all, e.g. the caller's own credentials do not
 * work (GetCallerIdentity fails): nothing was read. Entry points print one line and exit 3.
 */
export class ScanStartError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ScanStartError';
  }
}

/** Thrown when an output file (`--out`) cannot be written where it was asked: a directory, or under a file. */
export class OutputFileError extends InvalidInputError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'OutputFileError';
  }
}

/**
 * Thrown when evaluating the policies on one registry takes longer than its budget. The
 * audit reports it as that target's error; the other targets go on.
 */
export class PolicyEvaluationTimeoutError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PolicyEvaluationTimeoutError';
  }
}
