/**
 * Renders an audit report in one of the output formats. JSON is the report itself
 * (for machines); table and markdown group it per registry (for people).
 */
import type { AuditReport } from '../audit.js';
import { compareTargets } from '../ordering.js';
import { asffReportFormat, toAsffFinding } from './asff.js';
import { exportsOf, type FindingExportContext } from './finding-export.js';
import { renderMarkdown } from './markdown.js';
import { ocsfReportFormat, toOcsfEvent } from './ocsf.js';
import { type PolicyDescriptor, type SarifInput, sarifReportFormat, toSarif } from './sarif.js';
import { jsonReportFormat, type StreamedReportFormat } from './streamed-report.js';
import { renderTable } from './table.js';
import type { ReportTotals, TargetView } from './target-view.js';

export const REPORT_FORMATS = ['table', 'json', 'sarif', 'markdown', 'asff', 'ocsf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface RenderOptions {
  colour: boolean;
  policies: readonly PolicyDescriptor[];
  toolVersion: string;
  /** table and markdown: list waived findings, not only their count. */
  showWaived?: boolean;
}

const key = (t: { accountId: string; region: string }) => `${t.accountId}/${t.region}`;

/** Groups the report per registry, in account/region order, failed targets included. */
export function targetViews(report: AuditReport): TargetView[] {
  const views = new Map<string, TargetView>();
  const view = (t: { accountId: string; region: string }): TargetView => {
    let v = views.get(key(t));
    if (!v) {
      v = {
        accountId: t.accountId,
        region: t.region,
        accountName: report.accountNames[t.accountId] ?? null,
        findings: [],
        waived: [],
        drift: null,
        remediation: null,
        error: null,
        warnings: [],
      };
      views.set(key(t), v);
    }
    return v;
  };
  for (const f of report.findings) view(f).findings.push(f);
  for (const w of report.waived) view(w.finding).waived.push(w);
  for (const d of report.drift) {
    view(d).drift = { status: d.status, source: d.desiredSource, lines: d.changes.map((c) => c.message) };
  }
  for (const p of report.remediation) {
    const lines = [
      ...p.changes.map((c) => c.action),
      ...p.refusals.map((r) => `refused: ${r}`),
      ...p.repositories.changed.map(
        (r) =>
          `${r.repositoryName}: ${r.before.length} -> ${r.after.length} profile${r.after.length === 1 ? '' : 's'}`,
      ),
    ];
    view(p).remediation = { strategy: p.strategy, status: p.status, lines };
  }
  for (const e of report.errors) view(e).error = e;
  for (const w of report.warnings) view(w).warnings.push(w);
  return [...views.values()].sort(compareTargets);
}

function totals(report: AuditReport): ReportTotals {
  return {
    registries: report.summary.registries,
    repositories: report.summary.repositories,
    findings: report.summary.findings,
    bySeverity: report.summary.bySeverity,
    drifted: report.summary.drift.drifted,
    failedTargets: report.summary.failedTargets,
    waived: report.summary.waived,
  };
}

export function renderReport(report: AuditReport, format: ReportFormat, options: RenderOptions): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'sarif':
      return `${JSON.stringify(
        toSarif({
          toolVersion: options.toolVersion,
          findings: report.findings,
          waived: report.waived,
          errors: report.errors,
          warnings: report.warnings,
          policies: options.policies,
        }),
        null,
        2,
      )}\n`;
    case 'asff':
    case 'ocsf':
      return `${JSON.stringify(findingExports(report, format, options), null, 2)}\n`;
    case 'markdown':
      return renderMarkdown(targetViews(report), totals(report), { showWaived: options.showWaived ?? false });
    case 'table':
      return renderTable(targetViews(report), totals(report), {
        colour: options.colour,
        showWaived: options.showWaived ?? false,
      });
  }
}

/** ASFF findings or OCSF events of the whole report in memory, as their streamed formats order them. */
function findingExports(report: AuditReport, format: 'asff' | 'ocsf', options: RenderOptions): unknown[] {
  const context: FindingExportContext = { now: report.generatedAt };
  const policies = new Map(options.policies.map((p) => [p.id, p]));
  const { findings, waived } = exportsOf(report, context);
  return [...findings, ...waived].map((e) =>
    format === 'asff' ? toAsffFinding(e, { policies }) : toOcsfEvent(e, { toolVersion: options.toolVersion }),
  );
}

/** What a streamed format needs: the policies and tool (SARIF, ASFF, OCSF) and the export's time and records. */
export interface StreamedFormatInput extends SarifInput {
  context: FindingExportContext;
}

/** The formats machines read are written as a stream; the ones people read are not. */
export function streamedFormat(
  format: ReportFormat,
  input: StreamedFormatInput,
): StreamedReportFormat | null {
  switch (format) {
    case 'json':
      return jsonReportFormat;
    case 'sarif':
      return sarifReportFormat(input);
    case 'asff':
      return asffReportFormat({
        policies: new Map(input.policies.map((p) => [p.id, p])),
        context: input.context,
      });
    case 'ocsf':
      return ocsfReportFormat({ toolVersion: input.toolVersion, context: input.context });
    case 'markdown':
    case 'table':
      return null;
  }
}
