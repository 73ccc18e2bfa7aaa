/** Exit codes CI pipelines can branch on. */
export const ExitCode = {
  /** Nothing at or above --fail-on. */
  Ok: 0,
  /** Findings at or above --fail-on (or a failed policy test). */
  Findings: 1,
  /** Bad usage or bad input: nothing was evaluated or changed. */
  BadInput: 2,
  /** At least one target could not be scanned (takes precedence over Findings). */
  ScanFailed: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
