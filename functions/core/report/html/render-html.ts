/**
 * The HTML report: one self-contained page (styles, charts and its one script inline, nothing
 * fetched) for auditors and managers. Every string from data is escaped (escape.ts). Pure:
 * the time and the run records come in with the input.
 */
import type { AuditReport, RegistryCoverage } from '../../audit.js';
import { bySeverity, severityRank } from '../../severity.js';
import { type Finding, type ScanError, SEVERITIES, type Severity } from '../../types.js';
import type { TargetView } from '../target-view.js';
import { barChart, lineChart } from './charts.js';
import { escapeHtml } from './escape.js';
import { renderHeatmap } from './heatmap.js';
import { htmlPage } from './page.js';
import { coveredShare, type RunTrendPoint } from './run-trend.js';

export interface HtmlReportInput {
  title: string;
  /** ISO-8601: when the report was made. */
  generatedAt: string;
  toolVersion: string;
  /** The audit shown; null for a report of the run records alone (`report`). */
  audit: {
    report: AuditReport;
    targets: readonly TargetView[];
    coverage: readonly RegistryCoverage[];
  } | null;
  /** The recorded runs, oldest first; empty when no store was read. */
  trend: readonly RunTrendPoint[];
  /** Where the runs were read from (a --store value), shown with the trend; null when none. */
  trendSource: string | null;
}

const SEVERITY_COLOURS: Record<Severity, string> = {
  critical: '#8b1a1a',
  high: '#d64545',
  medium: '#e8a33d',
  low: '#3a8dde',
  info: '#9aa5b1',
};

/** 2026-12-03T12:38:32.481Z -> 2026-12-03 12:38:32 UTC */
const utcTime = (iso: string) => `${iso.slice(0, 19).replace('T', ' ')} UTC`;
const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
const sharePercent = (share: number) => `${(Math.floor(share * 1000) / 10).toFixed(1)}%`;
const severityBadge = (severity: Severity) => `<span class="sev sev-${severity}">${severity}</span>`;
const emptyNote = (text: string) => `<p class="empty">${escapeHtml(text)}</p>`;

function section(id: string, title: string, body: string): string {
  return `<section id="${id}"><h2>${escapeHtml(title)}</h2>${body}</section>`;
}

function tile(label: string, value: string, tone: 'bad' | 'good' | '' = ''): string {
  return `<div class="tile${tone ? ` ${tone}` : ''}"><span class="value">${escapeHtml(value)}</span><span class="label">${escapeHtml(label)}</span></div>`;
}

/** A table whose columns sort on click; a cell's `sort` value orders it instead of its text. */
function sortableTable(
  id: string,
  columns: readonly { label: string; numeric?: boolean }[],
  rows: readonly (readonly { html: string; sort?: string | number }[])[],
): string {
  const head = columns
    .map((c) => `<th scope="col"${c.numeric ? ' class="num"' : ''}>${escapeHtml(c.label)}</th>`)
    .join('');
  const body = rows
    .map(
      (row) =>
        `<tr>${row
          .map((cell, i) => {
            const cls = columns[i]?.numeric ? ' class="num"' : '';
            const sort = cell.sort === undefined ? '' : ` data-sort="${escapeHtml(cell.sort)}"`;
            return `<td${cls}${sort}>${cell.html}</td>`;
          })
          .join('')}</tr>`,
    )
    .join('');
  return `<table id="${id}" class="sortable"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

const text = (value: string | number) => ({ html: escapeHtml(value), sort: value });
/** Identifiers: kept on one line, except names (repositories) that may be long. */
const mono = (value: string, wraps = false) => ({
  html: `<span class="mono${wraps ? '' : ' nowrap'}">${escapeHtml(value)}</span>`,
  sort: value,
});
const severityCell = (severity: Severity) => ({
  html: severityBadge(severity),
  sort: severityRank(severity),
});

function totalCoverage(coverage: readonly RegistryCoverage[]) {
  return {
    repositories: coverage.reduce((sum, c) => sum + c.repositories, 0),
    coveredRepositories: coverage.reduce((sum, c) => sum + c.coveredRepositories, 0),
  };
}

function auditTiles(report: AuditReport, coverage: readonly RegistryCoverage[]): string {
  const share = coveredShare(totalCoverage(coverage));
  const s = report.summary;
  return `<div class="tiles">${[
    tile('Registries', String(s.registries)),
    tile('Repositories', String(s.repositories)),
    tile('Repositories covered', share === null ? '–' : sharePercent(share), share === 1 ? 'good' : ''),
    tile('Findings', String(s.findings), s.findings > 0 ? 'bad' : 'good'),
    tile('Drifted registries', String(s.drift.drifted), s.drift.drifted > 0 ? 'bad' : ''),
    tile('Failed to scan', String(s.failedTargets), s.failedTargets > 0 ? 'bad' : ''),
    ...(s.waived > 0 ? [tile('Waived', String(s.waived))] : []),
  ].join('')}</div>`;
}

function trendTiles(trend: readonly RunTrendPoint[]): string {
  const last = trend.at(-1);
  if (!last) return '';
  const share = coveredShare(last.coverage);
  return `<div class="tiles">${[
    tile('Runs recorded', String(trend.length)),
    tile('Targets in the last run', String(last.targetsScanned + last.targetsFailed)),
    tile('Findings in the last run', String(last.findings), last.findings > 0 ? 'bad' : 'good'),
    tile('Repositories covered', share === null ? '–' : sharePercent(share), share === 1 ? 'good' : ''),
    tile('Failed to scan', String(last.targetsFailed), last.targetsFailed > 0 ? 'bad' : ''),
  ].join('')}</div>`;
}

function coverageSection(audit: NonNullable<HtmlReportInput['audit']>): string {
  const note =
    'Each cell is one registry (account × region): the share of its repositories a signing rule covers ' +
    '(covered/all), and whether it is in policy (no finding) or how many findings it has.';
  return section(
    'coverage',
    'Coverage by account and region',
    `<p class="note">${escapeHtml(note)}</p>${renderHeatmap({
      coverage: audit.coverage,
      errors: audit.report.errors,
      accountNames: audit.report.accountNames,
    })}`,
  );
}

function findingsSummarySection(report: AuditReport): string {
  const bars = SEVERITIES.map((s) => ({
    label: s,
    value: report.summary.bySeverity[s],
    colour: SEVERITY_COLOURS[s],
  }));
  const byPolicy = new Map<
    string,
    { title: string; severity: Severity; count: number; registries: Set<string> }
  >();
  for (const f of report.findings) {
    const entry = byPolicy.get(f.policyId) ?? {
      title: f.policyTitle,
      severity: f.severity,
      count: 0,
      registries: new Set(),
    };
    entry.count++;
    entry.registries.add(`${f.accountId}/${f.region}`);
    byPolicy.set(f.policyId, entry);
  }
  const policies = [...byPolicy.entries()].sort(
    ([a, x], [b, y]) => bySeverity(x, y) || y.count - x.count || a.localeCompare(b),
  );
  const max = Math.max(1, ...policies.map(([, p]) => p.count));
  const policyTable =
    policies.length === 0
      ? emptyNote('No findings.')
      : sortableTable(
          'findings-by-policy',
          [
            { label: 'Policy' },
            { label: 'Title' },
            { label: 'Severity' },
            { label: 'Findings', numeric: true },
            { label: 'Registries', numeric: true },
          ],
          policies.map(([id, p]) => [
            mono(id),
            text(p.title),
            severityCell(p.severity),
            {
              html: `<span class="inline-bar" style="width:${Math.max(2, Math.round((p.count / max) * 80))}px"></span>${p.count}`,
              sort: p.count,
            },
            text(p.registries.size),
          ]),
        );
  return (
    section(
      'severity',
      'Findings by severity',
      `<div class="charts">${barChart(bars, 'Findings by severity', { width: 480, labelWidth: 90 })}</div>`,
    ) + section('policies', 'Findings by policy', policyTable)
  );
}

function findingsSection(
  findings: readonly Finding[],
  accountNames: Readonly<Record<string, string>>,
): string {
  const sorted = [...findings].sort(
    (a, b) =>
      bySeverity(a, b) ||
      a.accountId.localeCompare(b.accountId) ||
      a.region.localeCompare(b.region) ||
      a.policyId.localeCompare(b.policyId),
  );
  const body =
    sorted.length === 0
      ? emptyNote('No findings.')
      : sortableTable(
          'finding-list',
          [
            { label: 'Severity' },
            { label: 'Policy' },
            { label: 'Account' },
            { label: 'Region' },
            { label: 'Repository' },
            { label: 'Finding' },
          ],
          sorted.map((f) => [
            severityCell(f.severity),
            mono(f.policyId),
            accountCell(f.accountId, accountNames),
            mono(f.region),
            f.repositoryName === undefined ? { html: '', sort: '' } : mono(f.repositoryName, true),
            text(f.message),
          ]),
        );
  return section('findings', `Findings (${findings.length})`, body);
}

function accountCell(accountId: string, accountNames: Readonly<Record<string, string>>) {
  const name = accountNames[accountId];
  return {
    html: `<span class="mono">${escapeHtml(accountId)}</span>${name ? ` <span class="heat-name">${escapeHtml(name)}</span>` : ''}`,
    sort: accountId,
  };
}

function driftSection(targets: readonly TargetView[]): string {
  const drifted = targets.filter((t) => t.drift?.status === 'drifted');
  const cards = drifted.map((t) => {
    const drift = t.drift!;
    const name = t.accountName ? ` (${t.accountName})` : '';
    const remediation = t.remediation
      ? `<p class="note">Remediation plan (${escapeHtml(t.remediation.strategy)}): ${escapeHtml(t.remediation.status)}</p>` +
        (t.remediation.lines.length > 0
          ? `<ul>${t.remediation.lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`
          : '')
      : '';
    return (
      `<div class="drift-card"><h3><span class="mono">${escapeHtml(`${t.accountId}/${t.region}`)}</span>${escapeHtml(name)}</h3>` +
      `<p class="note">Desired configuration: <code>${escapeHtml(drift.source)}</code></p>` +
      `<ul>${drift.lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>${remediation}</div>`
    );
  });
  return section(
    'drift',
    `Drifted registries (${drifted.length})`,
    cards.length === 0 ? emptyNote('No registry differs from its desired configuration.') : cards.join(''),
  );
}

function problemsTable(
  id: string,
  problems: readonly ScanError[],
  accountNames: Readonly<Record<string, string>>,
): string {
  return sortableTable(
    id,
    [
      { label: 'Account' },
      { label: 'Region' },
      { label: 'Operation' },
      { label: 'Error' },
      { label: 'Message' },
    ],
    problems.map((e) => [
      accountCell(e.accountId, accountNames),
      mono(e.region),
      mono(e.operation),
      mono(e.errorName),
      text(e.message),
    ]),
  );
}

function errorsSection(report: AuditReport): string {
  const errors =
    report.errors.length === 0
      ? emptyNote('Every target was scanned.')
      : problemsTable('scan-errors', report.errors, report.accountNames);
  const warnings =
    report.warnings.length === 0
      ? ''
      : `<h3>Warnings (${report.warnings.length})</h3>${problemsTable('scan-warnings', report.warnings, report.accountNames)}`;
  return section('errors', `Scan errors (${report.errors.length})`, errors + warnings);
}

/** The axis top at or above `value` from 2, 4, 6, 8 × 10^k: its half-way tick is a whole number. */
export function evenAxisMaximum(value: number): number {
  for (let scale = 1; ; scale *= 10) {
    const top = [2, 4, 6, 8, 10].map((m) => m * scale).find((m) => m >= value);
    if (top !== undefined) return top;
  }
}

function trendSection(trend: readonly RunTrendPoint[], source: string | null): string {
  if (trend.length === 0) {
    return section(
      'trend',
      'Trend over the last runs',
      emptyNote(
        source === null
          ? 'No run records were read: give --store to add the trend of the recorded runs.'
          : `No runs recorded in ${source}.`,
      ),
    );
  }
  const label = (p: RunTrendPoint) => utcTime(p.startedAt);
  const findings = lineChart(
    trend.map((p) => ({ label: label(p), value: p.findings })),
    {
      title: 'Findings per run',
      max: evenAxisMaximum(Math.max(...trend.map((p) => p.findings))),
      colour: '#d64545',
      format: (v) => String(Math.round(v)),
    },
  );
  const coverage = lineChart(
    trend.map((p) => {
      const share = coveredShare(p.coverage);
      return { label: label(p), value: share === null ? null : share * 100 };
    }),
    {
      title: 'Repositories covered per run (%)',
      max: 100,
      colour: '#2f8132',
      format: (v) => `${Math.round(v)}%`,
    },
  );
  const runs = sortableTable(
    'runs',
    [
      { label: 'Started' },
      { label: 'Run' },
      { label: 'Trigger' },
      { label: 'Scanned', numeric: true },
      { label: 'Failed', numeric: true },
      { label: 'Findings', numeric: true },
      { label: 'Covered', numeric: true },
      { label: 'Drifted', numeric: true },
    ],
    [...trend].reverse().map((p) => {
      const share = coveredShare(p.coverage);
      return [
        { html: escapeHtml(utcTime(p.startedAt)), sort: p.startedAt },
        mono(p.runId),
        text(p.trigger),
        text(p.targetsScanned),
        text(p.targetsFailed),
        text(p.findings),
        share === null ? { html: '–', sort: -1 } : { html: escapeHtml(sharePercent(share)), sort: share },
        text(p.drifted),
      ];
    }),
  );
  const from = source === null ? '' : ` Read from <code>${escapeHtml(source)}</code>.`;
  return section(
    'trend',
    'Trend over the last runs',
    `<p class="note">${escapeHtml(`${plural(trend.length, 'recorded run')}, oldest on the left.`)}${from}</p>` +
      `<div class="charts"><figure><figcaption>Findings</figcaption>${findings}</figure>` +
      `<figure><figcaption>Repositories covered</figcaption>${coverage}</figure></div>` +
      `<h3>Runs</h3>${runs}`,
  );
}

export function renderHtmlReport(input: HtmlReportInput): string {
  const { audit } = input;
  const nav = audit
    ? [
        { id: 'coverage', label: 'Coverage' },
        { id: 'severity', label: 'By severity' },
        { id: 'policies', label: 'By policy' },
        { id: 'findings', label: 'Findings' },
        { id: 'drift', label: 'Drift' },
        { id: 'errors', label: 'Scan errors' },
        { id: 'trend', label: 'Trend' },
      ]
    : [{ id: 'trend', label: 'Trend' }];
  const body = audit
    ? auditTiles(audit.report, audit.coverage) +
      coverageSection(audit) +
      findingsSummarySection(audit.report) +
      findingsSection(audit.report.findings, audit.report.accountNames) +
      driftSection(audit.targets) +
      errorsSection(audit.report) +
      trendSection(input.trend, input.trendSource)
    : trendTiles(input.trend) + trendSection(input.trend, input.trendSource);
  const subtitle = escapeHtml(
    audit
      ? `Audit of ${plural(audit.report.summary.registries, 'registry', 'registries')}, generated ${utcTime(input.generatedAt)}`
      : `Recorded runs, generated ${utcTime(input.generatedAt)}`,
  );
  return htmlPage({
    title: input.title,
    nav,
    subtitleHtml: subtitle,
    bodyHtml: body,
    footerHtml: escapeHtml(
      `ecr-sign-drift ${input.toolVersion}. Self-contained: this file loads nothing from the network.`,
    ),
  });
}
