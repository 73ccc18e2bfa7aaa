/**
 * `ecr-sign-drift snapshot`: reads the target registries live and writes them to a
 * file in the snapshot format (what `audit --snapshot` reads), atomically. Targets
 * that could not be read are printed on stderr and recorded under `source.errors`;
 * the file is written either way, with everything that was read.
 */
import { resolve } from 'node:path';
import { ConfigurationError } from '../../core/errors.js';
import { capturedSnapshot } from '../../core/facts/index.js';
import type { ScanError } from '../../core/types.js';
import { checkOutputPath } from '../../files/output-path.js';
import { writeJsonDocument } from '../../files/report-stream.js';
import { writeStreamAtomically } from '../../files/write-file-atomically.js';
import { ScanSession } from '../../scan/scan-session.js';
import type { Command, CommandIO } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import { parseFlags } from '../flags.js';
import { progressReporter } from '../progress.js';
import { scanConfigFromOptions, targetOptionSpec, targetOptionsHelp } from '../target-options.js';
import { TOOL_VERSION } from '../version.js';

const usage = `Usage: ecr-sign-drift snapshot --out FILE [target options] [--no-tags]

Reads the signing configuration, repositories (with their tags) and referenced signing
profiles of every target registry through the AWS SDK, and writes them to FILE in the
snapshot format ('ecr-sign-drift audit --snapshot FILE' reads it offline). FILE is
replaced atomically: readers see the old file or the new one, never half of one.

Options:
  --out FILE               Where to write the snapshot (required)
  --no-tags                Do not read repository or account tags (saves one call per 100
                           repositories and one per account)

${targetOptionsHelp}

A target that cannot be read (access denied, throttled past the retries, timed out,
not a region) is printed on stderr and listed under "source.errors" in the file, which
is still written with every registry that was read.
Exit codes: 0 every target was read, 2 bad usage, 3 a target could not be read.`;

const SNAPSHOT_OPTIONS = {
  ...targetOptionSpec,
  out: { type: 'string' },
  'no-tags': { type: 'boolean' },
} as const;

/** Refuses an output path that cannot be a file before any AWS call is made. */
function describeProblem(problem: ScanError): string {
  return `${problem.accountId}/${problem.region}: ${problem.operation}: ${problem.errorName}: ${problem.message}`;
}

async function run(args: string[], io: CommandIO): Promise<number> {
  const values = parseFlags('snapshot', args, SNAPSHOT_OPTIONS);
  if (values.out === undefined || values.out === '') {
    throw new ConfigurationError('snapshot: --out FILE is required');
  }
  const outPath = resolve(io.cwd, values.out);
  const shownPath = values.out;
  const readRepositoryTags = !values['no-tags'];
  // Whatever a later audit's policy scopes may ask about the accounts: a snapshot audits as the live scan.
  const config = await scanConfigFromOptions(values, io.env, readRepositoryTags, {
    tags: readRepositoryTags,
    organizationalUnits: true,
    organizationalUnitTags: readRepositoryTags,
  });
  await checkOutputPath(outPath, `snapshot: --out ${shownPath}`);

  const capturedAt = new Date();
  const session = new ScanSession(config);
  const progress = progressReporter(io.stderr);
  let result: Awaited<ReturnType<ScanSession['scan']>>;
  try {
    result = await session.scan({ onProgress: (p) => progress.update(p) });
  } finally {
    progress.done();
    session.close();
  }

  const snapshot = capturedSnapshot({
    capturedAt,
    tool: 'ecr-sign-drift',
    version: TOOL_VERSION,
    // The SDK itself reads AWS_ENDPOINT_URL when no --endpoint-url is given.
    endpoint: config.endpoint ?? io.env['AWS_ENDPOINT_URL'] ?? 'aws',
    repositoryTags: readRepositoryTags,
    ...result,
  });
  try {
    // Registry by registry: a large organization's snapshot is longer than V8's longest string.
    await writeStreamAtomically(outPath, (file) => writeJsonDocument(file, { ...snapshot }, 'registries'));
  } catch (error) {
    throw new ConfigurationError(`snapshot: cannot write ${shownPath}: ${(error as Error).message}`, {
      cause: error,
    });
  }

  for (const error of snapshot.source?.errors ?? [])
    io.stderr.write(`ecr-sign-drift: ${describeProblem(error)}\n`);
  for (const warning of snapshot.source?.warnings ?? []) {
    io.stderr.write(`ecr-sign-drift: warning: ${describeProblem(warning)}\n`);
  }
  const failed = result.errors.length;
  const registries = snapshot.registries.length;
  io.stdout.write(
    `wrote ${registries} ${registries === 1 ? 'registry' : 'registries'} to ${shownPath}` +
      `${failed > 0 ? `; ${failed} ${failed === 1 ? 'target' : 'targets'} could not be read` : ''}\n`,
  );
  return failed > 0 ? ExitCode.ScanFailed : ExitCode.Ok;
}

export const snapshotCommand: Command = {
  name: 'snapshot',
  summary: 'Read registries live and write them to a snapshot file',
  usage,
  run,
};
