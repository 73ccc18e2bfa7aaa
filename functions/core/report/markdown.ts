/** Markdown output, for pull-request comments and tickets. */
import { bySeverity } from '../severity.js';
import type { ReportTotals, TargetView } from './target-view.js';
import { waivedLines } from './waived-lines.js';

/**
 * Text as CommonMark shows it literally: every character that could start emphasis (`*prod*`,
 * `team_a_b`), code, a link, HTML, an entity, strikethrough or a table cell boundary is
 * backslash-escaped, and so is what would start a block at the beginning of a line.
 */
function cell(text: string): string {
  const inline = text.replace(/\r?\n/g, ' ').replace(/[\\`*_[\]<>|~&!]/g, (c) => `\\${c}`);
  return inline.replace(/^([#+=-]|\d+[.)])/, (start) => `${start.slice(0, -1)}\\${start.slice(-1)}`);
}

/** A code span that holds any text: fenced by more backticks than the text's longest run of them. */
function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const padded = text.startsWith('`') || text.endsWith('`') ? ` ${text} ` : text;
  return `${fence}${padded.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|')}${fence}`;
}

export function renderMarkdown(
  targets: TargetView[],
  totals: ReportTotals,
  options: { showWaived: boolean },
): string {
  const out: string[] = ['# ECR signing audit', ''];
  out.push('| Registries | Repositories | Findings | Drifted | Failed to scan |', '|---|---|---|---|---|');
  out.push(
    `| ${totals.registries} | ${totals.repositories} | ${totals.findings} | ${totals.drifted} | ${totals.failedTargets} |`,
    '',
  );
  if (totals.waived > 0) out.push(`${totals.waived} findings waived.`, '');
  for (const t of targets) {
    out.push(`## ${t.accountId}/${t.region}${t.accountName ? ` (${cell(t.accountName)})` : ''}`, '');
    if (t.error)
      out.push(
        `**Scan failed** at ${cell(t.error.operation)}: ${code(t.error.errorName)} ${cell(t.error.message)}`,
        '',
      );
    if (t.findings.length > 0) {
      out.push('| Severity | Policy | Repository | Finding |', '|---|---|---|---|');
      for (const f of [...t.findings].sort(bySeverity)) {
        out.push(
          `| ${f.severity} | ${code(f.policyId)} | ${f.repositoryName ? code(f.repositoryName) : ''} | ${cell(f.message)} |`,
        );
      }
      out.push('');
    } else if (!t.error) {
      out.push('No findings.', '');
    }
    if (t.waived.length > 0) {
      out.push(`${t.waived.length} waived.`, '');
      if (options.showWaived) {
        for (const line of waivedLines(t)) out.push(`- ${cell(line)}`);
        out.push('');
      }
    }
    if (t.drift) {
      out.push(`**Drift:** ${t.drift.status} (desired: ${code(t.drift.source)})`, '');
      for (const line of t.drift.lines) out.push(`- ${cell(line)}`);
      if (t.drift.lines.length > 0) out.push('');
    }
    if (t.remediation) {
      out.push(`**Remediation (${t.remediation.strategy}):** ${t.remediation.status}`, '');
      for (const line of t.remediation.lines) out.push(`- ${cell(line)}`);
      if (t.remediation.lines.length > 0) out.push('');
    }
  }
  return `${out.join('\n')}\n`;
}
