/**
 * The verdict CI pipelines branch on: scan failures first (the picture is incomplete),
 * then findings at or above the threshold.
 */
import { atOrAbove } from './severity.js';
import type { Finding, ScanError, Severity } from './types.js';

export type Verdict = 'pass' | 'findings' | 'scan-failed';

export function verdict(input: {
  findings: readonly Finding[];
  errors: readonly ScanError[];
  failOn: Severity;
}): Verdict {
  if (input.errors.length > 0) return 'scan-failed';
  return input.findings.some((f) => atOrAbove(f.severity, input.failOn)) ? 'findings' : 'pass';
}
