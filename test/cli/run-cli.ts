/** Runs the built CLI (`npm test` builds dist/cli.mjs before vitest) as a subprocess. */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const CLI = resolve('dist/cli.mjs');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Written to the command's stdin, which is then closed (runCliAsync). */
  input?: string;
}

function environment(options: CliOptions): NodeJS.ProcessEnv {
  // A clean AWS environment: nothing from the developer's shell leaks into a test.
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
  return { ...base, NO_COLOR: '1', ...options.env };
}

export function assertCliBuilt(): void {
  if (!existsSync(CLI)) throw new Error('dist/cli.mjs is missing: run `npm run build` (npm test does)');
}

/** Synchronous run, for commands that need no server in this process. */
export function runCli(args: string[], options: CliOptions = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env: environment(options),
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Asynchronous run, for commands that talk to a server started in this process. */
export function runCliAsync(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: environment(options),
      ...(options.cwd ? { cwd: options.cwd } : {}),
    });
    child.stdin.end(options.input ?? '');
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}
