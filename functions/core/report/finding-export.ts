/**
 * What the finding formats other tools import (ASFF for Security Hub, OCSF for Security
 * Lake) share: where a finding stands in its lifecycle, its times, and the resource it is
 * about. Pure: times are given, never read from a clock.
 */
import type { RegistryReportParts } from '../audit.js';
import { partitionOfRegion } from '../partition.js';
import type { Waiver } from '../policy/index.js';
import type { Finding } from '../types.js';
import { layoutParts, type StreamedReportFormat } from './streamed-report.js';

/**
 * `open`: the registry breaks the policy; `waived`: it does, under a waiver in force;
 * `resolved`: it no longer does (a run's closed finding).
 */
export type ExportedFindingState =
  | { state: 'open' }
  | { state: 'waived'; waiver: Waiver }
  | { state: 'resolved' };

/** One finding as another tool receives it. */
export interface FindingExport {
  finding: Finding;
  lifecycle: ExportedFindingState;
  /** When it was first seen: the records' firstSeen, or the export's time when nothing recorded it. */
  firstSeen: string;
  /** The export's (or the run's) time, ISO-8601. */
  updatedAt: string;
}

/** How an audit's findings become exports: the time, and first-seen times from the records when given. */
export interface FindingExportContext {
  /** ISO-8601: UpdatedAt, and first seen where the records do not say. */
  now: string;
  /** The records' firstSeen of an open finding (by fingerprint), when a store was given. */
  firstSeenOf?: (finding: Finding) => string | undefined;
}

export function exportOf(
  finding: Finding,
  lifecycle: ExportedFindingState,
  context: FindingExportContext,
): FindingExport {
  return {
    finding,
    lifecycle,
    firstSeen: context.firstSeenOf?.(finding) ?? context.now,
    updatedAt: context.now,
  };
}

/** The ECR repository's ARN, in the partition of its region. */
export function repositoryArn(finding: Finding & { repositoryName: string }): string {
  return `arn:${partitionOfRegion(finding.region)}:ecr:${finding.region}:${finding.accountId}:repository/${finding.repositoryName}`;
}

/** Text cut to `max` characters (an ellipsis marks the cut), for fields with a length limit. */
export function fitText(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** The waiver in words, for a suppressed finding's note. */
export function waiverNote(waiver: Waiver): string {
  const ticket = waiver.ticket ? `, ticket ${waiver.ticket}` : '';
  return `Waived: ${waiver.reason} (owner ${waiver.owner}${ticket}, until ${waiver.expires}; ${waiver.source})`;
}

/** The exports of a registry's (or a whole report's) findings, then of its waived ones. */
export function exportsOf(
  parts: Pick<RegistryReportParts, 'findings' | 'waived'>,
  context: FindingExportContext,
): { findings: FindingExport[]; waived: FindingExport[] } {
  return {
    findings: parts.findings.map((f) => exportOf(f, { state: 'open' }, context)),
    waived: parts.waived.map((w) => exportOf(w.finding, { state: 'waived', waiver: w.waiver }, context)),
  };
}

/** One JSON array of exported findings, written registry by registry: the findings, then the waived ones. */
export function findingArrayFormat(
  toValue: (exported: FindingExport) => unknown,
  context: FindingExportContext,
): StreamedReportFormat {
  return {
    sectionDepths: { findings: 1, waived: 1 },
    *elements(parts) {
      const { findings, waived } = exportsOf(parts, context);
      for (const e of findings) yield { section: 'findings', value: toValue(e) };
      for (const e of waived) yield { section: 'waived', value: toValue(e) };
    },
    layout() {
      return [...layoutParts({ stream: ['findings', 'waived'] }), { kind: 'text', text: '\n' }];
    },
  };
}
