/**
 * Terminal output: grouped by account and region, most severe first, aligned columns.
 * Colour only when the caller says the stream is a TTY.
 */
import { bySeverity } from '../severity.js';
import type { Severity } from '../types.js';
import type { ReportTotals, TargetView } from './target-view.js';
import { waivedLines } from './waived-lines.js';

const COLOUR: Record<Severity, string> = {
  critical: '\x1b[1;31m',
  high: '\x1b[31m',
  medium: '\x1b[33m',
  low: '\x1b[36m',
  info: '\x1b[2m',
};
const RESET = '\x1b[0m';
const BOLD = '\x1b[1m';

export function renderTable(
  targets: TargetView[],
  totals: ReportTotals,
  options: { colour: boolean; showWaived: boolean },
): string {
  const paint = (code: string, text: string) => (options.colour ? `${code}${text}${RESET}` : text);
  const out: string[] = [];
  for (const t of targets) {
    const name = t.accountName ? ` (${t.accountName})` : '';
    const state = t.error
      ? paint(COLOUR.critical, 'SCAN FAILED')
      : t.findings.length === 0
        ? 'no findings'
        : `${t.findings.length} finding${t.findings.length === 1 ? '' : 's'}`;
    out.push(paint(BOLD, `${t.accountId}/${t.region}${name}`) + `  ${state}`);
    if (t.error) out.push(`  ${t.error.operation}: ${t.error.errorName}: ${t.error.message}`);
    const findings = [...t.findings].sort((a, b) => bySeverity(a, b) || a.policyId.localeCompare(b.policyId));
    const idWidth = Math.max(0, ...findings.map((f) => f.policyId.length));
    for (const f of findings) {
      const sev = paint(COLOUR[f.severity], f.severity.toUpperCase().padEnd(8));
      out.push(`  ${sev}  ${f.policyId.padEnd(idWidth)}  ${f.message}`);
    }
    if (t.waived.length > 0) out.push(`  ${t.waived.length} waived`);
    if (options.showWaived) for (const line of waivedLines(t)) out.push(`    ${line}`);
    if (t.drift) {
      out.push(`  drift: ${t.drift.status} (desired: ${t.drift.source})`);
      for (const line of t.drift.lines) out.push(`    - ${line}`);
    }
    if (t.remediation) {
      out.push(`  remediation (${t.remediation.strategy}): ${t.remediation.status}`);
      for (const line of t.remediation.lines) out.push(`    - ${line}`);
    }
    for (const w of t.warnings) out.push(`  warning: ${w.operation}: ${w.errorName}: ${w.message}`);
    out.push('');
  }
  const sev = (['critical', 'high', 'medium', 'low', 'info'] as const)
    .filter((s) => (totals.bySeverity[s] ?? 0) > 0)
    .map((s) => `${totals.bySeverity[s]} ${s}`)
    .join(', ');
  out.push(
    `${totals.registries} registries, ${totals.repositories} repositories: ${totals.findings} findings${sev ? ` (${sev})` : ''}, ` +
      `${totals.drifted} drifted, ${totals.failedTargets} failed to scan` +
      (totals.waived > 0 ? `, ${totals.waived} waived` : ''),
  );
  return `${out.join('\n')}\n`;
}
