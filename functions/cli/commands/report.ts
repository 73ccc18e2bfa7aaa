/**
 * `ecr-sign-drift report`: the HTML report of the recorded runs: findings and coverage over
 * the last runs, and the runs themselves, read from the store (file or DynamoDB).
 */
import { resolve } from 'node:path';
import { OutputFileError } from '../../core/errors.js';
import { renderHtmlReport } from '../../core/report/index.js';
import { checkOutputPath } from '../../files/output-path.js';
import { writeFileAtomically } from '../../files/write-file-atomically.js';
import type { Command, CommandIO } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import { parseFlags, wholeNumberFlag } from '../flags.js';
import { DEFAULT_TREND_RUNS, readRecordedTrend } from '../recorded-trend.js';
import { DEFAULT_STORE, defaultStore } from '../store-option.js';
import { recordsAccessOptionSpec, recordsAccessOptionsHelp } from '../target-options.js';
import { TOOL_VERSION } from '../version.js';

const usage = `Usage: ecr-sign-drift report [--store SPEC] [--out FILE] [options]

Writes the HTML report of the recorded runs: one self-contained file (nothing is fetched
when it is opened) with the findings and the share of repositories covered over the last
runs, and a sortable table of those runs. For the coverage heatmap and the findings of
now, with the same trend: 'ecr-sign-drift audit --format html --store SPEC'.

Options:
  --store SPEC             file:DIR or dynamodb:TABLE (default ${DEFAULT_STORE})
  --runs N                 How many of the last runs (default ${DEFAULT_TREND_RUNS})
  --out FILE               Write the report to FILE instead of stdout

${recordsAccessOptionsHelp}

Exit codes: 0 written (no run recorded too), 2 bad usage or the records cannot be read.`;

const REPORT_OPTIONS = {
  ...recordsAccessOptionSpec,
  store: { type: 'string' },
  runs: { type: 'string' },
  out: { type: 'string' },
} as const;

async function run(args: string[], io: CommandIO): Promise<number> {
  const values = parseFlags('report', args, REPORT_OPTIONS);
  const runs = wholeNumberFlag('runs', values.runs, DEFAULT_TREND_RUNS);
  const out = values.out === undefined ? undefined : resolve(io.cwd, values.out);
  if (out !== undefined) await checkOutputPath(out, `report: --out ${values.out}`);
  const now = new Date();
  const trend = await readRecordedTrend(values.store ?? defaultStore(io.env), values, io, runs, now);
  const html = renderHtmlReport({
    title: 'ECR signing: recorded runs',
    generatedAt: now.toISOString(),
    toolVersion: TOOL_VERSION,
    audit: null,
    trend: trend.runs,
    trendSource: trend.source,
  });
  if (out === undefined) io.stdout.write(html);
  else {
    await writeFileAtomically(out, html).catch((error: unknown) => {
      throw new OutputFileError(`report: cannot write ${values.out}: ${(error as Error).message}`, {
        cause: error,
      });
    });
  }
  return ExitCode.Ok;
}

export const reportCommand: Command = {
  name: 'report',
  summary: 'Write the HTML report of the recorded runs (findings and coverage over time)',
  usage,
  run,
};
