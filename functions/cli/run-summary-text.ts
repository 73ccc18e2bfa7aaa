/** The run summary for people: one line per target with something to say, then totals. */
import { compareTargets } from '../core/ordering.js';
import type { RunSummary, TargetResult } from '../run/run-types.js';

export interface RunSummaryOptions {
  /** Scan errors already printed (by an earlier summary): said again in short. Filled with those printed. */
  shownErrors?: Set<string>;
}

export function renderRunSummary(
  summary: RunSummary,
  results: readonly TargetResult[],
  options: RunSummaryOptions = {},
): string {
  const lines: string[] = [];
  // Targets that failed the same way (every region of an account whose role is denied) share one line.
  const failedTogether = new Map<string, string[]>();
  for (const r of [...results].sort(compareTargets)) {
    const parts: string[] = [];
    if (r.status === 'failed') parts.push(`scan failed: ${scanErrorText(r, options.shownErrors)}`);
    if (r.status === 'skipped') parts.push(`skipped: ${r.reason}`);
    if (r.findings.length > 0)
      parts.push(`${r.findings.length} open finding${r.findings.length === 1 ? '' : 's'}`);
    if (r.drifted) parts.push('drifted from desired');
    if (r.remediation) parts.push(`remediation ${r.remediation}`);
    if (r.events.length > 0) parts.push(`alert: ${[...new Set(r.events)].join(', ')}`);
    const text = parts.length > 0 ? parts.join('; ') : 'ok';
    const where = `${r.accountId}/${r.region}`;
    if (r.status !== 'failed') {
      lines.push(`${where}  ${text}`);
      continue;
    }
    const group = failedTogether.get(text);
    if (group) group.push(where);
    else {
      failedTogether.set(text, [where]);
      lines.push(text);
    }
  }
  // Each group's line is where its first target sorted; it names all of them.
  for (const [text, targets] of failedTogether) lines[lines.indexOf(text)] = `${targets.join(', ')}  ${text}`;
  for (const r of results) {
    if (r.status === 'failed' && r.error) options.shownErrors?.add(scanErrorKey(r.error));
  }
  const s = summary;
  if (s.discoveryFailed) {
    const discovery = s.errors.filter(
      (e) =>
        e.operation !== 'Publish' &&
        e.operation !== 'BatchImportFindings' &&
        !results.some((r) => r.error === e),
    );
    for (const e of discovery) {
      lines.push(
        `account discovery failed: ${e.operation}: ${e.errorName}: ${e.message} (accounts not listed were not scanned)`,
      );
    }
  }
  const publishFailures = new Map<string, number>();
  for (const e of s.errors.filter((error) => error.operation === 'Publish')) {
    const line = `${e.errorName}: ${e.message}`;
    publishFailures.set(line, (publishFailures.get(line) ?? 0) + 1);
  }
  for (const [line, count] of publishFailures) {
    lines.push(`alert publish failed (${count} ${count === 1 ? 'alert' : 'alerts'}): ${line}`);
  }
  for (const w of s.warnings ?? []) {
    lines.push(`warning: ${w.accountId}/${w.region}: ${w.operation}: ${w.errorName}: ${w.message}`);
  }
  if (s.imagesSkippedByBudget > 0) {
    lines.push(
      `images: ${s.imagesSampled} sampled, ${s.imagesSkippedByBudget} left unread by the image budget (the next run goes on where this one stopped)`,
    );
  }
  for (const e of s.errors.filter((error) => error.operation === 'BatchImportFindings'))
    lines.push(`Security Hub: ${e.errorName}: ${e.message}`);
  const held =
    s.targets.heldByAnotherRun > 0
      ? ` (${s.targets.heldByAnotherRun} held by another run, ${s.targets.heldLongerThanLeaseTime} of them for longer than the lease time)`
      : '';
  lines.push(
    '',
    `run ${s.runId}: ${s.targets.scanned} scanned, ${s.targets.failed} failed, ${s.targets.skipped} skipped${held}; ` +
      `new findings on ${s.findingChanges.opened} targets, resolved on ${s.findingChanges.resolved}; ` +
      `drift: ${s.drift.drifted} targets differ from desired; ` +
      `remediation ${s.remediation.planned} planned, ${s.remediation.applied} applied, ${s.remediation.failed} failed; ` +
      `alerts ${s.alerts.published} published, ${s.alerts.failed} failed, ${s.alerts.pending} pending` +
      (s.securityHub
        ? `; Security Hub ${s.securityHub.imported} imported, ${s.securityHub.refused} refused, ${s.securityHub.failed} imports failed`
        : ''),
  );
  return `${lines.join('\n')}\n`;
}

/** How a scan error reads in a summary; the key of RunSummaryOptions.shownErrors. */
export function scanErrorKey(error: { operation: string; errorName: string; message: string }): string {
  return `${error.operation}: ${error.errorName}: ${error.message}`;
}

function scanErrorText(r: TargetResult, shown: ReadonlySet<string> | undefined): string {
  if (!r.error) return 'unknown error';
  const key = scanErrorKey(r.error);
  return shown?.has(key) ? `${r.error.operation}: ${r.error.errorName} (as above)` : key;
}
