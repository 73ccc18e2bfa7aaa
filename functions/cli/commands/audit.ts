/**
 * `ecr-sign-drift audit`: evaluates policies and drift for a snapshot file (offline)
 * or for live registries (through the AWS SDK), and prints the report.
 */

import { resolve } from 'node:path';
import {
  AuditAccumulator,
  type AuditReport,
  type AuditReportFrame,
  type RegistryCoverage,
  withSections,
} from '../../core/audit.js';
import { ConfigurationError, OutputFileError } from '../../core/errors.js';
import { verdict } from '../../core/exit-status.js';
import { REMEDIATION_STRATEGIES, type RemediationStrategy } from '../../core/planning/index.js';
import {
  REPORT_FORMATS,
  type RenderOptions,
  type ReportFormat,
  renderReport,
  type StreamedReportFormat,
  streamedFormat,
} from '../../core/report/index.js';
import { type RegistrySnapshot, type ScanError, SEVERITIES, type Severity } from '../../core/types.js';
import { checkOutputPath } from '../../files/output-path.js';
import { matchesDesiredDescriptor, policyDescriptors } from '../../files/policy-locations.js';
import { readSnapshotStream } from '../../files/read-snapshot-stream.js';
import { StreamedReportWriter } from '../../files/report-stream.js';
import { writeStreamAtomically } from '../../files/write-file-atomically.js';
import { type AuditInputs, loadAuditInputs, scanLive, snapshotScanProblems } from '../audit-inputs.js';
import type { Command, CommandIO } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import { choiceFlag, parseFlags, wholeNumberFlag } from '../flags.js';
import { RecordedFirstSeen } from '../recorded-first-seen.js';
import { DEFAULT_TREND_RUNS, readRecordedTrend } from '../recorded-trend.js';
import { openStoreWithAccessOptions } from '../store-option.js';
import { type TargetOptionValues, targetOptionSpec, targetOptionsHelp } from '../target-options.js';
import { TOOL_VERSION } from '../version.js';

const usage = `Usage: ecr-sign-drift audit [--snapshot FILE | target options] [options]

Evaluates every policy and the desired configuration against ECR registries and prints
the findings, drift, remediation plans (never applied by audit) and scan errors.

Source:
  --snapshot FILE          Audit a snapshot file offline (as written by 'ecr-sign-drift snapshot')
                           Without it, registries are read live through the AWS SDK.

Policies:
  --policies DIR           Policy directory (default: policies)
  --desired DIR            Desired configurations (default: <policies>/desired)
  --policy ID              Only this policy (repeatable)
  --strategy STRATEGY      Remediation planning: merge (default) or enforce

Output:
  --format FORMAT          table (default), json, sarif, markdown, asff (Security Hub findings),
                           ocsf (OCSF 1.1 Compliance Finding events, for Security Lake) or html
  --out FILE               Write the report to FILE instead of stdout
  --store SPEC             The records of runs (file:DIR or dynamodb:TABLE): asff, ocsf take
                           first-seen times from them (without it a finding is first seen now);
                           html draws the trend of the runs recorded there
  --runs N                 html: how many of the last runs the trend shows (default ${DEFAULT_TREND_RUNS})
  --fail-on SEVERITY       Exit 1 when a finding is at or above it: ${SEVERITIES.join(', ')} (default high)
  --show-waived            table, markdown: list the waived findings (policies/waivers/), not only their count

${targetOptionsHelp}

Exit codes: 0 no finding at or above --fail-on, 1 findings at or above it,
            2 bad usage or input, 3 a target could not be scanned (before 1).`;

async function run(args: string[], io: CommandIO): Promise<number> {
  const values = parseFlags('audit', args, AUDIT_OPTIONS);
  const format = choiceFlag<ReportFormat>('format', values.format, REPORT_FORMATS, 'table');
  const strategy = choiceFlag<RemediationStrategy>(
    'strategy',
    values.strategy,
    REMEDIATION_STRATEGIES,
    'merge',
  );
  const failOn = choiceFlag<Severity>('fail-on', values['fail-on'], SEVERITIES, 'high');
  const storeFormats: readonly ReportFormat[] = ['asff', 'ocsf', 'html'];
  if (values.store !== undefined && !storeFormats.includes(format))
    throw new ConfigurationError(`audit: --store applies to --format asff, ocsf or html, not ${format}`);
  if (values.runs !== undefined && format !== 'html')
    throw new ConfigurationError('audit: --runs goes with --format html');
  const trendRuns = wholeNumberFlag('runs', values.runs, DEFAULT_TREND_RUNS);
  if (values.out !== undefined)
    await checkOutputPath(resolve(io.cwd, values.out), `audit: --out ${values.out}`);
  const inputs = await loadAuditInputs({
    cwd: io.cwd,
    ...(values.policies ? { policies: values.policies } : {}),
    ...(values.desired ? { desired: values.desired } : {}),
    ...(values.policy ? { onlyPolicies: values.policy } : {}),
  });

  const generatedAt = new Date();
  const trend =
    values.store === undefined || format !== 'html'
      ? undefined
      : await readRecordedTrend(values.store, values, io, trendRuns, generatedAt);
  const source = values.snapshot
    ? snapshotSource(resolve(io.cwd, values.snapshot))
    : await liveSource(values, io, inputs);
  const accumulator = new AuditAccumulator({
    policySet: inputs.policySet,
    desired: inputs.desired,
    strategy,
    generatedAt: generatedAt.toISOString(),
  });
  const firstSeen =
    values.store === undefined || format === 'html'
      ? null
      : await recordedFirstSeen(values.store, values, io);
  const streamed = streamedFormat(format, {
    policies: [
      ...(await policyDescriptors(inputs.policySet.policies, io.cwd)),
      matchesDesiredDescriptor(inputs.desired, inputs.desiredDirectory, io.cwd),
    ],
    toolVersion: TOOL_VERSION,
    context: { now: generatedAt.toISOString(), ...(firstSeen ? { firstSeenOf: firstSeen.of } : {}) },
  });
  const write = streamed
    ? await streamReport(streamed, accumulator, source, firstSeen)
    : await renderInMemory(format, accumulator, source, {
        colour: values.out === undefined && Boolean(io.stdout.isTTY) && !io.env['NO_COLOR'],
        policies: inputs.policySet.policies,
        toolVersion: TOOL_VERSION,
        showWaived: values['show-waived'] === true,
        ...(trend ? { trend } : {}),
      });
  try {
    if (values.out === undefined) await write.to(io.stdout);
    else {
      const out = values.out;
      await writeStreamAtomically(resolve(io.cwd, out), write.to).catch((error: unknown) => {
        throw new OutputFileError(`audit: cannot write ${out}: ${(error as Error).message}`, {
          cause: error,
        });
      });
    }
  } finally {
    write.close();
  }

  const results = write.frame.summary.findings + write.frame.summary.waived;
  if (format === 'sarif' && results > GITHUB_SARIF_RESULT_LIMIT) {
    io.stderr.write(
      `audit: warning: ${results} SARIF results; GitHub code scanning rejects an upload of more than ${GITHUB_SARIF_RESULT_LIMIT} (narrow it with --policy or fewer targets per upload)\n`,
    );
  }

  switch (verdict({ bySeverity: write.frame.summary.bySeverity, errors: write.frame.errors, failOn })) {
    case 'scan-failed':
      return ExitCode.ScanFailed;
    case 'findings':
      return ExitCode.Findings;
    case 'pass':
      return ExitCode.Ok;
  }
}

/** GitHub's upload endpoint refuses a SARIF file with more results than this. */
const GITHUB_SARIF_RESULT_LIMIT = 25_000;

/** Registries to audit, and (once they are read) the targets the scan could not read. */
interface AuditSource {
  registries: Iterable<RegistrySnapshot> | AsyncIterable<RegistrySnapshot>;
  problems(): {
    errors: readonly ScanError[];
    warnings: readonly ScanError[];
    imagesSkippedByBudget?: number;
  };
}

function snapshotSource(path: string): AuditSource {
  const stream = readSnapshotStream(path);
  return {
    registries: stream.registries,
    problems: () => snapshotScanProblems(stream.header()),
  };
}

async function liveSource(
  values: TargetOptionValues,
  io: CommandIO,
  inputs: AuditInputs,
): Promise<AuditSource> {
  const scanned = await scanLive(values, io, inputs);
  return {
    registries: scanned.registries,
    problems: () => ({ ...scanned, imagesSkippedByBudget: scanned.images.skippedByBudget }),
  };
}

/** A report ready to be written, and its frame (summary, errors) for the exit code. */
interface PreparedReport {
  frame: AuditReportFrame;
  to(destination: NodeJS.WritableStream): Promise<void>;
  close(): void;
}

async function recordedFirstSeen(
  spec: string,
  values: TargetOptionValues,
  io: CommandIO,
): Promise<RecordedFirstSeen> {
  return new RecordedFirstSeen(await openStoreWithAccessOptions(spec, values, io, 50));
}

/** json, sarif, asff and ocsf: every registry's elements are spooled as audited, never held. */
async function streamReport(
  format: StreamedReportFormat,
  accumulator: AuditAccumulator,
  source: AuditSource,
  firstSeen: RecordedFirstSeen | null,
): Promise<PreparedReport> {
  const writer = new StreamedReportWriter(format);
  try {
    for await (const registry of source.registries) {
      await firstSeen?.load(registry);
      writer.add(accumulator.add(registry));
    }
    const frame = accumulator.frame(source.problems());
    return { frame, to: (destination) => writer.writeTo(destination, frame), close: () => writer.close() };
  } catch (error) {
    writer.close();
    throw error;
  }
}

/** table, markdown and html group per registry for people: the report is held in memory. */
async function renderInMemory(
  format: ReportFormat,
  accumulator: AuditAccumulator,
  source: AuditSource,
  options: RenderOptions,
): Promise<PreparedReport> {
  const sections: Pick<AuditReport, 'findings' | 'waived' | 'drift' | 'remediation'> = {
    findings: [],
    waived: [],
    drift: [],
    remediation: [],
  };
  const coverage: RegistryCoverage[] = [];
  for await (const registry of source.registries) {
    const parts = accumulator.add(registry);
    if (parts.coverage) coverage.push(parts.coverage);
    sections.findings.push(...parts.findings);
    sections.waived.push(...parts.waived);
    if (parts.drift) sections.drift.push(parts.drift);
    if (parts.plan) sections.remediation.push(parts.plan);
  }
  const frame = accumulator.frame(source.problems());
  const text = renderReport(withSections(frame, sections), format, { ...options, coverage });
  return {
    frame,
    to: (destination) =>
      new Promise((done, fail) => destination.write(text, (error) => (error ? fail(error) : done()))),
    close: () => {},
  };
}

const AUDIT_OPTIONS = {
  ...targetOptionSpec,
  snapshot: { type: 'string' },
  policies: { type: 'string' },
  desired: { type: 'string' },
  policy: { type: 'string', multiple: true },
  strategy: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  'fail-on': { type: 'string' },
  'show-waived': { type: 'boolean' },
  store: { type: 'string' },
  runs: { type: 'string' },
} as const;

export const auditCommand: Command = {
  name: 'audit',
  summary: 'Audit registries (live or from a snapshot) against the policies and desired configuration',
  usage,
  run,
};
