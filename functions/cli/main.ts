import { InvalidInputError } from '../core/errors.js';
import { ExitCode } from './exit-codes.js';

const USAGE = `Usage: ecr-sign-drift <command> [options]

Commands:
  help                 Show this help

Run 'ecr-sign-drift <command> --help' for a command's options.`;

export async function main(argv: string[]): Promise<number> {
  const [command] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return ExitCode.Ok;
  }
  throw new InvalidInputError(`unknown command '${command}' (see 'ecr-sign-drift --help')`);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof InvalidInputError) {
      process.stderr.write(`ecr-sign-drift: ${error.message}\n`);
      process.exitCode = ExitCode.BadInput;
      return;
    }
    process.stderr.write(
      `ecr-sign-drift: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 70;
  },
);
