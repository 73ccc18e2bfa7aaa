import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseSnapshot } from '../../functions/core/facts/index.js';
import type { Snapshot } from '../../functions/core/types.js';
import { exampleWorld } from '../../functions/local-aws/example-world.js';
import { type LocalAws, startLocalAws } from '../../functions/local-aws/server.js';

// `npm test` builds dist/cli.mjs before vitest runs; these tests exercise that binary.
const cli = resolve('dist/cli.mjs');
const DENIED = '555555555555';

let localAws: LocalAws;
let scratch: string;

beforeAll(async () => {
  if (!existsSync(cli)) throw new Error('dist/cli.mjs is missing: run `npm run build` (npm test does)');
  localAws = await startLocalAws({ world: exampleWorld() });
});
afterAll(async () => {
  await localAws.close();
});
beforeEach(() => {
  localAws.reset();
  scratch = mkdtempSync(join(tmpdir(), 'ecr-sign-drift-snapshot-'));
});
afterEach(() => {
  rmSync(scratch, { recursive: true, force: true });
});

/**
 * What a user following `local-aws`'s hint has set, in an otherwise empty environment
 * (no shared config files). The SDK's Node 20 deprecation notice is turned off so stderr
 * holds only what the tool writes.
 */
function environment(): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'],
    HOME: scratch,
    AWS_CONFIG_FILE: join(scratch, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(scratch, 'no-credentials'),
    AWS_ENDPOINT_URL: localAws.url,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_REGION: 'us-east-1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/** Runs the binary without blocking this process, which serves the endpoint it calls. */
function run(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: scratch, env: environment() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => child.kill(), 20_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

function readSnapshot(name: string): Snapshot {
  const path = join(scratch, name);
  return parseSnapshot(JSON.parse(readFileSync(path, 'utf8')), path);
}

const lines = (text: string) => text.split('\n').filter((line) => line !== '');

describe('ecr-sign-drift snapshot', () => {
  it('writes every readable registry of the organization and exits 3 for the account whose role is denied', async () => {
    const { code, stdout, stderr } = await run(
      'snapshot',
      '--out',
      'state.json',
      '--org',
      '--regions',
      'us-east-1,eu-west-1',
    );
    expect(code).toBe(3);
    const snapshot = readSnapshot('state.json');
    const readable = exampleWorld().registries.filter((r) => r.accountId !== DENIED);
    expect(snapshot.registries.map((r) => `${r.accountId}/${r.region}`)).toEqual(
      readable.map((r) => `${r.accountId}/${r.region}`).sort(),
    );
    const payments = snapshot.registries.find(
      (r) => r.accountId === '222222222222' && r.region === 'us-east-1',
    );
    const paymentsInWorld = readable.find((r) => r.accountId === '222222222222' && r.region === 'us-east-1');
    // The world pushes images at start (localAws.pushes): the newest of each covered repository is in the snapshot.
    expect(payments?.repositories.map(({ images: _images, ...repository }) => repository)).toEqual(
      paymentsInWorld?.repositories,
    );
    expect(
      payments?.repositories
        .find((r) => r.repositoryName === 'payments/api-prod')
        ?.images?.map((i) => i.imageTags),
    ).toEqual([['v1.8.3'], ['v1.8.2']]);
    expect(payments?.imagesReadAt).toBeDefined();
    expect(payments?.account?.organizationalUnitNames).toEqual(['Root', 'Workloads', 'Prod']);
    expect(snapshot.snapshotVersion).toBe(1);
    expect(Date.parse(snapshot.capturedAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
    expect(snapshot.source).toMatchObject({
      tool: 'ecr-sign-drift',
      version: JSON.parse(readFileSync('package.json', 'utf8')).version,
      endpoint: localAws.url,
      repositoryTags: true,
      warnings: [],
    });
    expect(snapshot.source?.errors?.map((e) => [e.accountId, e.region, e.operation, e.errorName])).toEqual([
      [DENIED, 'eu-west-1', 'AssumeRole', 'AccessDenied'],
      [DENIED, 'us-east-1', 'AssumeRole', 'AccessDenied'],
    ]);
    expect(lines(stderr)).toEqual(
      ['eu-west-1', 'us-east-1'].map(
        (region) =>
          `ecr-sign-drift: ${DENIED}/${region}: AssumeRole: AccessDenied: User: arn:aws:iam::111111111111:user/local-aws is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${DENIED}:role/EcrSignDriftReadRole`,
      ),
    );
    expect(stdout).toBe('wrote 8 registries to state.json; 2 targets could not be read\n');
  });

  it('exits 0 with nothing on stderr when every target is read, and leaves tags out with --no-tags', async () => {
    const { code, stdout, stderr } = await run(
      'snapshot',
      '--accounts',
      '222222222222,333333333333',
      '--regions',
      'us-east-1',
      '--no-tags',
      '--out',
      'two.json',
    );
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toBe('wrote 2 registries to two.json\n');
    const snapshot = readSnapshot('two.json');
    expect(snapshot.source).toMatchObject({ repositoryTags: false, errors: [] });
    expect(snapshot.registries.map((r) => r.accountId)).toEqual(['222222222222', '333333333333']);
    expect(snapshot.registries.flatMap((r) => r.repositories).every((repo) => repo.tags === undefined)).toBe(
      true,
    );
  });

  it('replaces an existing file whole and leaves no temporary file behind', async () => {
    writeFileSync(join(scratch, 'state.json'), 'old content');
    const { code } = await run('snapshot', '--accounts', '222222222222', '--out', 'state.json');
    expect(code).toBe(0);
    expect(readSnapshot('state.json').registries).toHaveLength(1);
    expect(readdirSync(scratch).filter((name) => name.startsWith('state.json'))).toEqual(['state.json']);
  });

  it("exits 3 with one line and writes nothing when the caller's own credentials are refused", async () => {
    localAws.setFaults({
      rules: [{ service: 'sts', operation: 'GetCallerIdentity', error: 'access-denied' }],
    });
    const { code, stdout, stderr } = await run('snapshot', '--org', '--out', 'state.json');
    expect({ code, stdout }).toEqual({ code: 3, stdout: '' });
    expect(lines(stderr)).toEqual([
      'ecr-sign-drift: cannot start the scan: GetCallerIdentity failed: User: arn:aws:iam::111111111111:user/local-aws is not authorized to perform: sts:GetCallerIdentity because no identity-based policy allows the sts:GetCallerIdentity action',
    ]);
    expect(existsSync(join(scratch, 'state.json'))).toBe(false);
  });

  it.each([
    [
      ['--out', 'x.json', '--concurrency', 'zero'],
      "ecr-sign-drift: --concurrency must be a whole number from 1 in decimal digits, got 'zero'",
    ],
    [['--out', 'x.json', '--bogus'], "ecr-sign-drift: snapshot: Unknown option '--bogus'"],
    [['--org'], 'ecr-sign-drift: snapshot: --out FILE is required'],
    [
      ['--out', 'x.json', '--regions', 'moon-base'],
      "ecr-sign-drift: 'moon-base' is not a region name (like us-east-1)",
    ],
    [['--out', '.'], 'ecr-sign-drift: snapshot: --out . is a directory'],
  ])('refuses %j with exit code 2 and one line on stderr, calling no AWS API', async (flags, message) => {
    const { code, stdout, stderr } = await run('snapshot', ...flags);
    expect({ code, stdout, stderr }).toEqual({ code: 2, stdout: '', stderr: `${message}\n` });
    expect(localAws.calls()).toEqual([]);
    expect(existsSync(join(scratch, 'x.json'))).toBe(false);
  });

  it('prints its usage with the target options for --help', async () => {
    const { code, stdout } = await run('snapshot', '--help');
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: ecr-sign-drift snapshot --out FILE');
    expect(stdout).toContain('--ou ID');
    expect(stdout).toContain('--no-tags');
  });
});
