import { InvalidInputError, ScanStartError } from '../core/errors.js';
import { DriftStoreError } from '../records/drift-store-error.js';
import { RemediationJournalError } from '../remediation/errors.js';
import type { CommandIO } from './command.js';
import { commands } from './commands/index.js';
import { ExitCode } from './exit-codes.js';
import { TOOL_VERSION } from './version.js';

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length), 4) + 2;
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`);
  return [
    'Usage: ecr-sign-drift <command> [options]',
    '',
    'Keeps Amazon ECR registry signing configuration in line with policy.',
    '',
    'Commands:',
    ...lines,
    `  ${'help'.padEnd(width)}Show this help ('help <command>': that command's options)`,
    '',
    "Run 'ecr-sign-drift <command> --help' for a command's options, '--version' for the version.",
    'Exit codes: 0 ok, 1 findings at or above --fail-on, 2 bad usage or input, 3 a target could not be scanned.',
  ].join('\n');
}

function findCommand(name: string) {
  const command = commands.find((c) => c.name === name);
  if (!command) throw new InvalidInputError(`unknown command '${name}' (see 'ecr-sign-drift --help')`);
  return command;
}

export async function main(argv: string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V' || name === 'version') {
    io.stdout.write(`ecr-sign-drift ${TOOL_VERSION}\n`);
    return ExitCode.Ok;
  }
  if (name === 'help' && rest[0] !== undefined) {
    io.stdout.write(`${findCommand(rest[0]).usage}\n`);
    return ExitCode.Ok;
  }
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.stdout.write(`${usage()}\n`);
    return ExitCode.Ok;
  }
  const command = findCommand(name);
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${command.usage}\n`);
    return ExitCode.Ok;
  }
  return command.run(rest, io);
}

// The SDK warns that releases after January 2027 need Node 22; ours are pinned by the lockfile.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

// A reader that went away (`ecr-sign-drift policies test | head -1`) is not an error of ours:
// stop quietly, with the exit code decided so far, instead of crashing on the unhandled EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : ExitCode.Ok);
  });
}

const io: CommandIO = {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
};
main(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof InvalidInputError) {
      process.stderr.write(`ecr-sign-drift: ${error.message}\n`);
      process.exitCode = ExitCode.BadInput;
      return;
    }
    if (error instanceof DriftStoreError || error instanceof RemediationJournalError) {
      // The records cannot be read or written (a missing table, an unreachable endpoint): nothing more can be done safely.
      process.stderr.write(`ecr-sign-drift: the records could not be used: ${error.message}\n`);
      process.exitCode = ExitCode.ScanFailed;
      return;
    }
    if (error instanceof ScanStartError) {
      process.stderr.write(`ecr-sign-drift: ${error.message}\n`);
      process.exitCode = ExitCode.ScanFailed;
      return;
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`ecr-sign-drift: unexpected error: ${detail}\n`);
    process.exitCode = 70;
  },
);
