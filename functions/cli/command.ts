/** A CLI subcommand: parses its own arguments and returns the process exit code. */
export interface Command {
  name: string;
  /** One line for the top-level help. */
  summary: string;
  /** Full help text printed for `ecr-sign-drift <name> --help`. */
  usage: string;
  run(args: string[], io: CommandIO): Promise<number>;
}

/** Where a command writes; injected so commands are testable without a subprocess. */
export interface CommandIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}
