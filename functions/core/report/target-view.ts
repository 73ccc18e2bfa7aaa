/**
 * The per-target view the human-readable formats (table, markdown) render: one
 * registry's findings, drift, remediation and errors, already in words.
 */
import type { WaivedFinding } from '../policy/index.js';
import type { Finding, ScanError } from '../types.js';

export interface TargetView {
  accountId: string;
  region: string;
  accountName: string | null;
  findings: Finding[];
  /** Findings a waiver covers (shown as a count, listed with --show-waived). */
  waived: WaivedFinding[];
  /** null when no desired configuration applies to the target. */
  drift: { status: string; source: string; lines: string[] } | null;
  remediation: { strategy: string; status: string; lines: string[] } | null;
  error: ScanError | null;
  warnings: ScanError[];
}

export interface ReportTotals {
  registries: number;
  repositories: number;
  findings: number;
  bySeverity: Record<string, number>;
  drifted: number;
  failedTargets: number;
  waived: number;
}
