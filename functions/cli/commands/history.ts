/**
 * `ecr-sign-drift history`: what the records say happened: the recorded runs (newest first),
 * or with --target one registry's remediation journal, whose run ids `rollback --to` takes.
 */
import { numberAt } from '../../core/report/index.js';
import type { JournalEntry, RunRecord } from '../../records/drift-store.js';
import type { Command, CommandIO } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import { choiceFlag, parseFlags, wholeNumberFlag } from '../flags.js';
import { DEFAULT_STORE, defaultStore, openStoreWithAccessOptions } from '../store-option.js';
import { recordsAccessOptionSpec, recordsAccessOptionsHelp } from '../target-options.js';
import { parseTargetRef } from '../target-ref.js';

const DEFAULT_LIMIT = 20;

const usage = `Usage: ecr-sign-drift history [--target ACCOUNT/REGION] [options]

Lists the recorded runs, newest first: run id, trigger, when, and what each did. With
--target, lists that registry's remediation journal instead (applied, failed, rolled back,
released), newest first: the run ids 'ecr-sign-drift rollback --to' takes.

Options:
  --target ACCOUNT/REGION  One registry's remediation journal
  --limit N                At most N runs (default ${DEFAULT_LIMIT})
  --store SPEC             file:DIR or dynamodb:TABLE (default ${DEFAULT_STORE})
  --format FORMAT          text (default) or json

${recordsAccessOptionsHelp}

Exit codes: 0 listed (an empty list too), 2 bad usage or the records cannot be read.`;

const HISTORY_OPTIONS = {
  ...recordsAccessOptionSpec,
  target: { type: 'string' },
  limit: { type: 'string' },
  store: { type: 'string' },
  format: { type: 'string' },
} as const;

function count(counts: RunRecord['counts'], path: string[]): number {
  return numberAt(counts, path) ?? 0;
}

function runLine(run: RunRecord): string {
  const c = run.counts;
  return (
    `${run.runId}  ${run.mode.padEnd(8)}  ${run.startedAt}  ` +
    `${count(c, ['targets', 'scanned'])} scanned, ${count(c, ['targets', 'failed'])} failed; ` +
    `remediation ${count(c, ['remediation', 'applied'])} applied`
  );
}

function journalLine(entry: JournalEntry): string {
  return `${entry.runId}  ${entry.status.padEnd(11)}  ${entry.recordedAt}${entry.reason ? `  ${entry.reason}` : ''}`;
}

async function run(args: string[], io: CommandIO): Promise<number> {
  const values = parseFlags('history', args, HISTORY_OPTIONS);
  const format = choiceFlag('format', values.format, ['text', 'json'] as const, 'text');
  const limit = wholeNumberFlag('limit', values.limit, DEFAULT_LIMIT);
  const target = values.target === undefined ? undefined : parseTargetRef(values.target);
  const store = await openStoreWithAccessOptions(values.store ?? defaultStore(io.env), values, io);
  if (target) {
    const journal = await store.listJournal(target);
    if (format === 'json') io.stdout.write(`${JSON.stringify(journal, null, 2)}\n`);
    else if (journal.length === 0)
      io.stdout.write(`${target.accountId}/${target.region}: no remediation recorded\n`);
    else for (const entry of journal) io.stdout.write(`${journalLine(entry)}\n`);
    return ExitCode.Ok;
  }
  const runs = await store.listRuns(new Date(), limit);
  if (format === 'json') io.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
  else if (runs.length === 0) io.stdout.write('no run recorded\n');
  else for (const recorded of runs) io.stdout.write(`${runLine(recorded)}\n`);
  return ExitCode.Ok;
}

export const historyCommand: Command = {
  name: 'history',
  summary: "List recorded runs, or a target's remediation journal (the run ids rollback --to takes)",
  usage,
  run,
};
