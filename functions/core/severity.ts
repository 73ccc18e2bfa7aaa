import { SEVERITIES, type Severity } from './types.js';

/** 0 for critical, 4 for info: lower is more severe. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** True when `severity` is `threshold` or more severe. */
export function atOrAbove(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) <= severityRank(threshold);
}

export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}

/** Orders findings-like items most severe first. */
export function bySeverity(a: { severity: Severity }, b: { severity: Severity }): number {
  return severityRank(a.severity) - severityRank(b.severity);
}
