import { InvalidInputError, ScanStartError } from '../core/errors.js';
import { DriftStoreError } from '../records/drift-store-error.js';
import { RemediationJournalError } from '../remediation/errors.js';
import type { CommandIO } from './command.js';
import { commands } from './commands/index.js';
import { ExitCode } from './exit-codes.js';

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
    `  ${'help'.padEnd(width)}Show this help`,
    '',
    "Run 'ecr-sign-drift <command> --help' for a command's options.",
    'Exit codes: 0 ok, 1 findings at or above --fail-on, 2 bad usage or input, 3 a target could not be scanned.',
  ].join('\n');
}

export async function main(argv: string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.stdout.write(`${usage()}\n`);
    return ExitCode.Ok;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) throw new InvalidInputError(`unknown command '${name}' (see 'ecr-sign-drift --help')`);
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${command.usage}\n`);
    return ExitCode.Ok;
  }
  return command.run(rest, io);
}

// The SDK warns that releases after January 2027 need Node 22; ours are pinned by the lockfile.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

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
