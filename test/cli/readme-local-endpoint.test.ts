/**
 * The README's local-endpoint block, taken from README.md and run by bash as written, with one
 * change: port 4599 becomes a free port, so runs on a shared machine do not collide. With the AWS
 * CLI on PATH every line runs; without it the `aws` lines are left out, and the test name says so.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt } from './run-cli.js';

const README_PORT = '4599';
const REPOSITORY = resolve('.');

/** The ```sh block of README.md that starts the local endpoint. */
function readmeBlock(): string {
  const readme = readFileSync(join(REPOSITORY, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const block = blocks.find((b) => b.includes(`local-aws --port ${README_PORT} &`));
  if (!block) throw new Error(`README.md has no sh block starting local-aws --port ${README_PORT}`);
  return block;
}

const awsCliInstalled = spawnSync('sh', ['-c', 'command -v aws'], { encoding: 'utf8' }).status === 0;

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

interface BlockRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the script in its own process group and ends the group (the endpoint it left in the background) after it. */
function runScript(script: string, env: NodeJS.ProcessEnv): Promise<BlockRun> {
  return new Promise((done, fail) => {
    const child = spawn('bash', ['-c', script], { cwd: REPOSITORY, env, detached: true });
    const output = { stdout: [] as string[], stderr: [] as string[] };
    for (const stream of ['stdout', 'stderr'] as const)
      child[stream].on('data', (d) => output[stream].push(String(d)));
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 90_000);
    child.on('error', fail);
    child.on('exit', (code) => {
      clearTimeout(timer);
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // The group is already gone.
      }
      // Output of the group's last writes arrives before the pipes close.
      setTimeout(() => done({ code, stdout: output.stdout.join(''), stderr: output.stderr.join('') }), 200);
    });
  });
}

describe("the README's local-endpoint block", () => {
  let home: string;
  beforeAll(() => {
    assertCliBuilt();
    home = mkdtempSync(join(tmpdir(), 'readme-block-'));
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  const name = awsCliInstalled
    ? 'runs as written with the AWS CLI, which reads the region and endpoint it exports'
    : 'runs as written except its aws lines (the AWS CLI is not on PATH here)';

  it(name, { timeout: 120_000 }, async () => {
    const port = String(await freePort());
    const lines = readmeBlock()
      .replaceAll(README_PORT, port)
      .split('\n')
      .filter((line) => awsCliInstalled || !line.trimStart().startsWith('aws '));
    // A clean AWS environment: no profile, config or region from the machine's own shell.
    const env: NodeJS.ProcessEnv = {
      ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_'))),
      HOME: home,
      AWS_CONFIG_FILE: join(home, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-credentials'),
      NO_COLOR: '1',
      // npx runs the repository's own bin; offline, it never waits on the registry (a fresh HOME has no cache).
      npm_config_offline: 'true',
      npm_config_update_notifier: 'false',
    };

    const run = await runScript(lines.join('\n'), env);

    expect(run.stderr).not.toContain('You must specify a region');
    if (awsCliInstalled) {
      const signing = /\{\n\s+"registryId": "111111111111"[\s\S]*?\n\}/.exec(run.stdout);
      expect(signing, `stderr: ${run.stderr}`).not.toBeNull();
      expect(JSON.parse(signing![0])).toMatchObject({
        registryId: '111111111111',
        signingConfiguration: { rules: expect.any(Array) },
      });
    }
    expect(run.stdout, `stderr: ${run.stderr}`).toMatch(/8 registries, \d+ repositories: \d+ findings/);
    expect(run.stdout).toContain('555555555555/us-east-1  SCAN FAILED');
    // Exit 3, as the README says: one account's role cannot be assumed.
    expect(run.code).toBe(3);
  });
});
