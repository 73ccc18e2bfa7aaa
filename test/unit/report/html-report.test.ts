import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadAuditInputs } from '../../../functions/cli/audit-inputs.js';
import { auditRegistriesWithCoverage } from '../../../functions/core/audit.js';
import { renderHeatmap } from '../../../functions/core/report/html/heatmap.js';
import { evenAxisMaximum } from '../../../functions/core/report/html/render-html.js';
import {
  type RecordedRun,
  renderHtmlReport,
  renderReport,
  runTrend,
} from '../../../functions/core/report/index.js';
import type { RegistrySnapshot, ScanError } from '../../../functions/core/types.js';
import {
  HOSTILE_ACCOUNT_NAME,
  HOSTILE_REPOSITORY,
  HTML_REPORT_ACCOUNTS,
  HTML_REPORT_REGIONS,
  htmlReportSnapshot,
} from '../../support/html-report-snapshot.js';

const inputs = await loadAuditInputs({ cwd: process.cwd() });
const snapshot = htmlReportSnapshot();
const audited = auditRegistriesWithCoverage({
  registries: snapshot.registries as RegistrySnapshot[],
  errors: snapshot.source.errors as ScanError[],
  policySet: inputs.policySet,
  // 111111111111/us-east-1 is held to what it has, so one cell is wholly in policy (no matches-desired finding).
  desired: {
    ...inputs.desired,
    '111111111111.us-east-1.json': {
      rules: [
        { signingProfileArn: 'arn:aws:signer:us-east-1:999988887777:/signing-profiles/ecr_release_signing' },
      ],
    },
  },
  strategy: 'merge',
  generatedAt: '2026-12-01T10:00:00.000Z',
});

function run(runId: string, startedAt: string, counts: Record<string, unknown>): RecordedRun {
  return { runId, mode: 'schedule', startedAt, counts };
}

const RECORDED_RUNS: RecordedRun[] = [
  run('run-3', '2026-11-30T08:00:00.000Z', {
    targets: { scanned: 5, failed: 1 },
    findings: { critical: 1, high: 1, medium: 0, low: 3, info: 2 },
    coverage: { repositories: 10, coveredRepositories: 5 },
  }),
  run('run-1', '2026-11-28T08:00:00.000Z', { targets: { scanned: 5, failed: 0 }, findings: { high: 4 } }),
  run('run-2', '2026-11-29T08:00:00.000Z', {
    targets: { scanned: 3, failed: 0 },
    findings: { low: 2 },
    coverage: { repositories: 6, coveredRepositories: 2 },
  }),
  // A scale-out worker's record of the same run.
  run('run-2', '2026-11-29T08:00:05.000Z', {
    targets: { scanned: 2, failed: 1 },
    findings: { critical: 1 },
    coverage: { repositories: 4, coveredRepositories: 2 },
  }),
];

const html = renderReport(audited.report, 'html', {
  colour: false,
  policies: inputs.policySet.policies,
  toolVersion: '9.9.9',
  coverage: audited.coverage,
  trend: { runs: runTrend(RECORDED_RUNS), source: 'file:/records' },
});

const count = (text: string, pattern: RegExp) => text.match(pattern)?.length ?? 0;

describe('HTML report', () => {
  it('keeps every string from the data as text: a <script> repository name, a quote-breaking account name', () => {
    expect(html).not.toContain(HOSTILE_REPOSITORY);
    expect(html).not.toContain(HOSTILE_ACCOUNT_NAME);
    expect(html).toContain('&lt;script&gt;window.__injected = true&lt;/script&gt;-prod');
    expect(html).toContain('dev&quot;&gt;&lt;img src=x onerror=&quot;window.__injected=true&quot;&gt;');
    expect(html).toContain('Root / Sandbox &lt;i&gt;');
    expect(html).toContain('not authorized to assume &lt;role&gt;');
    expect(count(html, /<script/g)).toBe(1);
    expect(count(html, /<img/g)).toBe(0);
  });

  it('has one heatmap cell per account and region, in rows grouped by organizational unit', () => {
    expect(count(html, /<td class="heat-cell/g)).toBe(
      HTML_REPORT_ACCOUNTS.length * HTML_REPORT_REGIONS.length,
    );
    expect(html).toContain(
      `data-accounts="${HTML_REPORT_ACCOUNTS.length}" data-regions="${HTML_REPORT_REGIONS.length}"`,
    );
    const groups = [...html.matchAll(/<tr class="heat-group"><th[^>]*>([^<]*)<\/th>/g)].map((m) => m[1]);
    expect(groups).toEqual(['Root / Sandbox &lt;i&gt;', 'Root / Workloads']);
    // 111111111111/us-east-1 signs all three of its repositories and has no finding.
    expect(html).toContain('title="111111111111/us-east-1: 3 of 3 repositories covered; in policy"');
    expect(html).toContain('title="111111111111/eu-west-1: 1 of 3 repositories covered; 4 findings"');
    expect(html).toContain('title="333333333333/eu-west-1: not scanned: AssumeRole: AccessDenied"');
    expect(html).toContain('title="222222222222/eu-west-1: no repositories;');
  });

  it('shows findings by severity and by policy, the drifted registries in words and the scan errors', () => {
    expect(html).toMatch(/<section id="severity"><h2>Findings by severity<\/h2>.*<svg class="chart"/s);
    expect(html).toContain('<table id="findings-by-policy" class="sortable">');
    expect(html).toContain(`<h2>Findings (${audited.report.summary.findings})</h2>`);
    const byPolicy = html.match(/<table id="findings-by-policy"[\s\S]*?<\/table>/)![0];
    const severities = [...byPolicy.matchAll(/<span class="sev sev-(\w+)">/g)].map((m) => m[1]);
    expect(severities[0]).toBe('critical');
    expect(severities.at(-1)).toBe('info');
    expect(count(html, /class="drift-card"/g)).toBe(audited.report.summary.drift.drifted);
    expect(html).toContain('is missing filter &#39;platform/*&#39;');
    expect(html).toContain('<h2>Scan errors (1)</h2>');
  });

  it('loads nothing: no URL but the SVG namespace, and a CSP that allows no fetch and only its own script', () => {
    expect([...html.matchAll(/(?:https?:)?\/\/[^\s"'<>]+/g)].map((m) => m[0])).toEqual(
      expect.arrayContaining(['http://www.w3.org/2000/svg']),
    );
    expect(
      new Set([...html.matchAll(/(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}[^\s"'<>]*/gi)].map((m) => m[0])),
    ).toEqual(new Set(['http://www.w3.org/2000/svg']));
    expect(html).not.toMatch(/<link|<iframe|<object|<[a-z]+[^>]*\s(?:src|action)=|@import|url\(/i);
    const script = html.match(/<script>([\s\S]*?)<\/script>/)![1]!;
    const hash = createHash('sha256').update(script).digest('base64');
    expect(html).toContain(
      `content="default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${hash}';`,
    );
  });

  it('draws the trend of the recorded runs, oldest first, and lists them newest first', () => {
    expect(html).toContain('3 recorded runs, oldest on the left.');
    expect(html).toContain('Read from <code>file:/records</code>');
    expect(count(html, /<polyline /g)).toBe(2);
    const rows = html.match(/<table id="runs"[\s\S]*?<\/table>/)![0];
    expect([...rows.matchAll(/<span class="mono nowrap">(run-\d)<\/span>/g)].map((m) => m[1])).toEqual([
      'run-3',
      'run-2',
      'run-1',
    ]);
  });

  it('is the page of the records alone when there is no audit (the report command)', () => {
    const page = renderHtmlReport({
      title: 'Recorded runs',
      generatedAt: '2026-12-01T10:00:00.000Z',
      toolVersion: '9.9.9',
      audit: null,
      trend: runTrend(RECORDED_RUNS),
      trendSource: 'dynamodb:records',
    });
    expect(page).toContain('<section id="trend">');
    expect(page).not.toContain('<section id="coverage">');
    expect(page).toContain('<span class="value">3</span><span class="label">Runs recorded</span>');
  });
});

describe('renderHeatmap', () => {
  it('has no organizational-unit rows when no account carries one, and an empty cell for a registry not audited', () => {
    const cell = { organizationalUnit: [], repositories: 4, coveredRepositories: 1, findings: 0 };
    const table = renderHeatmap({
      coverage: [
        { ...cell, accountId: '111111111111', region: 'us-east-1' },
        { ...cell, accountId: '222222222222', region: 'eu-west-1' },
      ],
      errors: [],
      accountNames: {},
    });
    expect(count(table, /class="heat-group"/g)).toBe(0);
    expect(count(table, /<td class="heat-cell/g)).toBe(4);
    expect(count(table, /<td class="heat-cell heat-absent"/g)).toBe(2);
    expect(table).toContain('title="111111111111/us-east-1: 1 of 4 repositories covered; in policy"');
    expect(table).toContain('<span class="heat-share">25%</span>');
  });
});

describe('evenAxisMaximum', () => {
  it('is the least of 2, 4, 6, 8 times a power of ten at or above the value', () => {
    expect([0, 1, 2, 3, 9, 10, 11, 22, 35, 81, 999].map(evenAxisMaximum)).toEqual([
      2, 2, 2, 4, 10, 10, 20, 40, 40, 100, 1000,
    ]);
  });
});

describe('runTrend', () => {
  it('makes one point per run, oldest first, adding up the records of a run its workers share', () => {
    const trend = runTrend(RECORDED_RUNS);
    expect(trend.map((p) => p.runId)).toEqual(['run-1', 'run-2', 'run-3']);
    expect(trend[1]).toMatchObject({
      startedAt: '2026-11-29T08:00:00.000Z',
      targetsScanned: 5,
      targetsFailed: 1,
      findings: 3,
      coverage: { repositories: 10, coveredRepositories: 4 },
    });
  });

  it('has no coverage for a run recorded without it, and counts a missing severity as none', () => {
    expect(runTrend(RECORDED_RUNS)[0]).toMatchObject({
      findings: 4,
      bySeverity: { critical: 0, high: 4, medium: 0, low: 0, info: 0 },
      coverage: null,
    });
  });
});
