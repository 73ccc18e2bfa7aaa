/**
 * Reports written as a stream: a format says which elements each registry adds to which
 * section, and how the document reads around those sections once the totals are known.
 * The writer (functions/files/report-stream.ts) keeps sections outside memory and
 * assembles the parts in order, so memory follows one registry, not the report.
 */
import type { AuditReportFrame, RegistryReportParts } from '../audit.js';
import { jsonAt, memberKey } from './json-text.js';

/** Literal text, or an array made of the named sections' elements, in that order. */
export type ReportPart =
  | { kind: 'text'; text: string }
  | { kind: 'array'; sections: readonly string[]; depth: number };

export interface StreamedReportFormat {
  /** How deep each section's elements sit (they are formatted when they arrive). */
  readonly sectionDepths: Readonly<Record<string, number>>;
  /** The elements one registry adds, by section, in writing order. */
  elements(parts: RegistryReportParts): Iterable<{ section: string; value: unknown }>;
  /** The whole document around the sections. */
  layout(frame: AuditReportFrame): ReportPart[];
}

/** A document's shape: plain JSON, objects and lists of shapes, or a streamed array. */
export type LayoutValue =
  | { json: unknown }
  | { object: ReadonlyArray<readonly [string, LayoutValue]> }
  | { list: readonly LayoutValue[] }
  | { stream: readonly string[] };

const pad = (depth: number) => '  '.repeat(depth);

/** Lays `value` out at `depth` as JSON.stringify(…, null, 2) would, streamed arrays as parts. */
export function layoutParts(value: LayoutValue, depth = 0): ReportPart[] {
  const parts: ReportPart[] = [];
  const text = (t: string) => {
    const last = parts.at(-1);
    if (last?.kind === 'text') last.text += t;
    else parts.push({ kind: 'text', text: t });
  };
  const walk = (v: LayoutValue, d: number) => {
    if ('json' in v) text(jsonAt(v.json, d));
    else if ('stream' in v) parts.push({ kind: 'array', sections: v.stream, depth: d + 1 });
    else if ('object' in v) {
      if (v.object.length === 0) return text('{}');
      text('{');
      v.object.forEach(([key, member], i) => {
        text(memberKey(key, d + 1, i === 0));
        walk(member, d + 1);
      });
      text(`\n${pad(d)}}`);
    } else {
      if (v.list.length === 0) return text('[]');
      text('[');
      v.list.forEach((item, i) => {
        text(`${i === 0 ? '' : ','}\n${pad(d + 1)}`);
        walk(item, d + 1);
      });
      text(`\n${pad(d)}]`);
    }
  };
  walk(value, depth);
  return parts;
}

/** The JSON report, member for member as `JSON.stringify(report, null, 2)` writes it. */
export const jsonReportFormat: StreamedReportFormat = {
  sectionDepths: { findings: 2, waived: 2, drift: 2, remediation: 2 },
  *elements(parts) {
    for (const value of parts.findings) yield { section: 'findings', value };
    for (const value of parts.waived) yield { section: 'waived', value };
    if (parts.drift) yield { section: 'drift', value: parts.drift };
    if (parts.plan) yield { section: 'remediation', value: parts.plan };
  },
  layout(frame) {
    return [
      ...layoutParts({
        object: [
          ['reportVersion', { json: frame.reportVersion }],
          ['generatedAt', { json: frame.generatedAt }],
          ['summary', { json: frame.summary }],
          ['findings', { stream: ['findings'] }],
          ['waived', { stream: ['waived'] }],
          ['drift', { stream: ['drift'] }],
          ['remediation', { stream: ['remediation'] }],
          ['errors', { json: frame.errors }],
          ['warnings', { json: frame.warnings }],
          ['accountNames', { json: frame.accountNames }],
        ],
      }),
      { kind: 'text', text: '\n' },
    ];
  },
};
