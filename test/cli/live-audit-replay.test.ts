import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleWorld } from '../../functions/local-aws/example-world.js';
import { type LocalAws, startLocalAws } from '../../functions/local-aws/server.js';
import { assertCliBuilt, runCliAsync } from './run-cli.js';

let localAws: LocalAws;
let scratch: string;
const TARGETS = ['--org', '--regions', 'us-east-1,eu-west-1', '--max-attempts', '1'];

beforeAll(async () => {
  assertCliBuilt();
  localAws = await startLocalAws({ world: exampleWorld() });
  scratch = mkdtempSync(join(tmpdir(), 'ecr-sign-drift-replay-'));
});
afterAll(async () => {
  await localAws.close();
  rmSync(scratch, { recursive: true, force: true });
});

const env = () => ({
  AWS_ENDPOINT_URL: localAws.url,
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_REGION: 'us-east-1',
});

interface Report {
  findings: { fingerprint: string; message: string; severity: string }[];
  drift: unknown[];
  remediation: unknown[];
  errors: unknown[];
  summary: { registries: number };
}

describe('an audit of a captured snapshot', () => {
  it('gives the same findings, drift, plans, errors and exit code as the live audit that captured it', async () => {
    const snapshotFile = join(scratch, 'evidence.json');
    const captured = await runCliAsync(['snapshot', '--out', snapshotFile, ...TARGETS], { env: env() });
    expect(captured.code).toBe(3);

    const live = await runCliAsync(['audit', '--format', 'json', ...TARGETS], { env: env() });
    const replay = await runCliAsync(['audit', '--format', 'json', '--snapshot', snapshotFile], { env: {} });
    expect(live.code).toBe(3);
    expect(replay.code).toBe(live.code);

    const a = JSON.parse(live.stdout) as Report;
    const b = JSON.parse(replay.stdout) as Report;
    expect(a.summary.registries).toBe(8);
    expect(b.findings).toEqual(a.findings);
    expect(b.drift).toEqual(a.drift);
    expect(b.remediation).toEqual(a.remediation);
    expect(b.errors).toEqual(a.errors);
    expect(a.errors).toHaveLength(2);
    expect(a.findings.length).toBeGreaterThan(10);
  });
});
