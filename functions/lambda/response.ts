/** What the detector returns to its invoker, kept well under Lambda's 6 MB response limit. */
import type { Finding, ScanError } from '../core/types.js';

export const MAX_RETURNED_FINDINGS = 200;

export interface HandlerResponse {
  runId: string;
  action: string;
  summary: unknown;
  errors: ScanError[];
  /** What could not be judged (a policy scope naming account metadata that was not read). */
  warnings?: ScanError[];
  findings: Finding[];
  /** Present when findings were left out; the run's records hold them all. */
  truncated?: { totalFindings: number; returned: number };
}

export function limitFindings(findings: readonly Finding[]): Pick<HandlerResponse, 'findings' | 'truncated'> {
  if (findings.length <= MAX_RETURNED_FINDINGS) return { findings: [...findings] };
  return {
    findings: findings.slice(0, MAX_RETURNED_FINDINGS),
    truncated: { totalFindings: findings.length, returned: MAX_RETURNED_FINDINGS },
  };
}
