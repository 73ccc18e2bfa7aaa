/**
 * What a first user meets at the command line: piping into head, --version, help <command>,
 * rollback's help and words, the history of runs for rollback --to, the default store, the demo.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { temporaryDirectory, useExampleWorld } from '../integration/run/helpers.js';
import { assertCliBuilt, CLI, runCli, runCliAsync } from './run-cli.js';

const localAws = useExampleWorld();
beforeAll(assertCliBuilt);
const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'AKIDFIRST', AWS_SECRET_ACCESS_KEY: 'local' };
const DRIFTED = '222222222222/eu-west-1';

describe('the command line', () => {
  it('stops quietly when the reader of its output goes away (policies test | head -1)', async () => {
    const child = spawn(process.execPath, [CLI, 'policies', 'test'], {
      env: { ...process.env, NO_COLOR: '1' },
    });
    // The reader is gone before the first line is written: every write meets EPIPE.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('is built executable, so npx ecr-sign-drift runs it in a fresh clone, where npm never linked it', () => {
    const result = spawnSync(CLI, ['--version'], { encoding: 'utf8' });
    expect(result.error).toBeUndefined();
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/\d+\.\d+\.\d+/);
  });

  it('prints its version with --version', () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    const result = runCli(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`ecr-sign-drift ${version}\n`);
  });

  it("shows a command's help for help <command>", () => {
    const help = runCli(['help', 'audit']);
    expect(help.code).toBe(0);
    expect(help.stdout).toBe(runCli(['audit', '--help']).stdout);
    expect(help.stdout).toMatch(/^Usage: ecr-sign-drift audit/);
    expect(runCli(['help', 'audti']).code).toBe(2);
  });

  it('lists in rollback --help only the options rollback uses, and refuses the others', () => {
    const help = runCli(['rollback', '--help']).stdout;
    expect(help).toContain('--role-name');
    for (const ignored of ['--accounts', '--org', '--regions', '--concurrency', '--target-timeout']) {
      expect(help).not.toContain(ignored);
    }
    const refused = runCli(['rollback', '--target', DRIFTED, '--org']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^ecr-sign-drift: rollback: Unknown option '--org'/);
  });
});

describe('history and rollback', () => {
  it('lists the recorded runs and a target journal, whose run id rollback --to takes, and says "rolled back"', async () => {
    const store = `file:${await temporaryDirectory('cli-history-')}`;
    const endpoint = ['--endpoint-url', localAws.current.url];
    const applied = await runCliAsync(
      [
        'run',
        ...endpoint,
        '--accounts',
        '222222222222',
        '--regions',
        'eu-west-1',
        '--store',
        store,
        '--remediation',
        'apply',
        '--remediation-accounts',
        '222222222222',
        '--format',
        'json',
      ],
      { env: CREDENTIALS },
    );
    expect(applied.code, applied.stderr).toBe(0);
    const runId = (JSON.parse(applied.stdout) as { summary: { runId: string } }).summary.runId;

    const runs = await runCliAsync(['history', '--store', store], { env: CREDENTIALS });
    expect(runs.code, runs.stderr).toBe(0);
    expect(runs.stdout).toMatch(
      new RegExp(`^${runId}  cli .* 1 scanned, 0 failed; remediation 1 applied\\n$`),
    );

    const journal = await runCliAsync(['history', '--store', store, '--target', DRIFTED], {
      env: CREDENTIALS,
    });
    expect(journal.stdout).toMatch(new RegExp(`^${runId}  applied `));

    const rolledBack = await runCliAsync(
      ['rollback', ...endpoint, '--store', store, '--target', DRIFTED, '--to', runId],
      {
        env: CREDENTIALS,
      },
    );
    expect(rolledBack.code, rolledBack.stderr).toBe(0);
    expect(rolledBack.stdout).toBe(
      `${DRIFTED}: rolled back: restored the configuration from before run ${runId}\n`,
    );
  });
});

describe('the default store', () => {
  const runWithoutStore = (cwd: string, env: Record<string, string>) =>
    runCliAsync(
      [
        'run',
        '--endpoint-url',
        localAws.current.url,
        '--accounts',
        '222222222222',
        '--regions',
        'us-east-1',
        '--policies',
        resolve('policies'),
      ],
      {
        cwd,
        env: { ...CREDENTIALS, ...env },
      },
    );

  it('is $XDG_STATE_HOME/ecr-sign-drift, whatever the working directory', async () => {
    const [state, first, second] = await Promise.all(
      ['cli-state-', 'cli-cwd-a-', 'cli-cwd-b-'].map((p) => temporaryDirectory(p)),
    );
    expect((await runWithoutStore(first!, { XDG_STATE_HOME: state! })).code).toBe(0);
    const again = await runWithoutStore(second!, { XDG_STATE_HOME: state! });
    expect(again.code).toBe(0);
    // The second run, from elsewhere, found the first one's records: nothing new to alert.
    expect(again.stdout).toContain('222222222222/us-east-1  1 open finding\n');
    expect(readdirSync(join(state!, 'ecr-sign-drift'))).toContain('targets');
    expect(readdirSync(first!)).toEqual([]);
    expect(readdirSync(second!)).toEqual([]);
  });

  it('is ~/.local/state/ecr-sign-drift without XDG_STATE_HOME', async () => {
    const [home, cwd] = await Promise.all(['cli-home-', 'cli-cwd-'].map((p) => temporaryDirectory(p)));
    const result = await runWithoutStore(cwd!, { HOME: home!, XDG_STATE_HOME: '' });
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(join(home!, '.local', 'state', 'ecr-sign-drift', 'targets'))).toBe(true);
    expect(readdirSync(cwd!)).toEqual([]);
  });
});

describe('the demo', () => {
  it('tells a repeated scan error once in full and wraps to the terminal width', async () => {
    const result = await runCliAsync(['demo'], { env: { COLUMNS: '100' } });
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    // Only a single word longer than the width (an ARN) may exceed it.
    expect(lines.filter((line) => line.length > 100 && line.trim().includes(' '))).toEqual([]);
    // The denied account: once per region in the audit, once per region in its scan.failed emails, never in the run summaries.
    expect(result.stdout.match(/role\/EcrSignDriftReadRole/g)).toHaveLength(4);
    expect(result.stdout).toContain(
      '555555555555/eu-west-1, 555555555555/us-east-1  scan failed: AssumeRole: AccessDenied (as above)',
    );
  }, 60_000);
});
