/** The run summary for people: one line per target with something to say, then totals. */
import { compareTargets } from '../core/ordering.js';
import type { RunSummary, TargetResult } from '../run/run-types.js';

export function renderRunSummary(summary: RunSummary, results: readonly TargetResult[]): string {
  const lines: string[] = [];
  for (const r of [...results].sort(compareTargets)) {
    const parts: string[] = [];
    if (r.status === 'failed')
      parts.push(`scan failed: ${r.error?.operation}: ${r.error?.errorName}: ${r.error?.message}`);
    if (r.status === 'skipped') parts.push(`skipped: ${r.reason}`);
    if (r.findings.length > 0)
      parts.push(`${r.findings.length} open finding${r.findings.length === 1 ? '' : 's'}`);
    if (r.drifted) parts.push('drifted');
    if (r.remediation) parts.push(`remediation ${r.remediation}`);
    if (r.events.length > 0) parts.push(`alert: ${[...new Set(r.events)].join(', ')}`);
    lines.push(`${r.accountId}/${r.region}  ${parts.length > 0 ? parts.join('; ') : 'ok'}`);
  }
  const s = summary;
  if (s.discoveryFailed) {
    const discovery = s.errors.filter(
      (e) => e.operation !== 'BatchImportFindings' && !results.some((r) => r.error === e),
    );
    for (const e of discovery) {
      lines.push(
        `account discovery failed: ${e.operation}: ${e.errorName}: ${e.message} (accounts not listed were not scanned)`,
      );
    }
  }
  for (const e of s.errors.filter((e) => e.operation === 'BatchImportFindings'))
    lines.push(`Security Hub refused ${e.message} (${e.errorName})`);
  const held =
    s.targets.heldByAnotherRun > 0
      ? ` (${s.targets.heldByAnotherRun} held by another run, ${s.targets.heldLongerThanLeaseTime} of them for longer than the lease time)`
      : '';
  lines.push(
    '',
    `run ${s.runId}: ${s.targets.scanned} scanned, ${s.targets.failed} failed, ${s.targets.skipped} skipped${held}; ` +
      `drift ${s.drift.detected} detected, ${s.drift.resolved} resolved; ` +
      `remediation ${s.remediation.planned} planned, ${s.remediation.applied} applied, ${s.remediation.failed} failed; ` +
      `alerts ${s.alerts.published} published, ${s.alerts.failed} failed, ${s.alerts.pending} pending` +
      (s.securityHub
        ? `; Security Hub ${s.securityHub.imported} imported, ${s.securityHub.refused} refused`
        : ''),
  );
  return `${lines.join('\n')}\n`;
}
