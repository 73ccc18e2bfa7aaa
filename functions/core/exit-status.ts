/**
 * The verdict CI pipelines branch on: scan failures first (the picture is incomplete),
 * then findings at or above the threshold.
 */
import { atOrAbove } from './severity.js';
import { type ScanError, SEVERITIES, type Severity } from './types.js';

export type Verdict = 'pass' | 'findings' | 'scan-failed';

/** From the report's counts, so a streamed report needs no list of its findings. */
export function verdict(input: {
  bySeverity: Readonly<Record<Severity, number>>;
  errors: readonly ScanError[];
  failOn: Severity;
}): Verdict {
  if (input.errors.length > 0) return 'scan-failed';
  return SEVERITIES.some((s) => atOrAbove(s, input.failOn) && input.bySeverity[s] > 0) ? 'findings' : 'pass';
}
