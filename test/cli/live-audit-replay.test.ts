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
  findings: {
    fingerprint: string;
    message: string;
    severity: string;
    policyId: string;
    repositoryName?: string;
  }[];
  drift: unknown[];
  remediation: unknown[];
  errors: unknown[];
  summary: { registries: number; imagesSampled: number };
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

  it('finds the failed and the stuck image signing live and offline alike', async () => {
    const snapshotFile = join(scratch, 'images.json');
    await runCliAsync(['snapshot', '--out', snapshotFile, ...TARGETS], { env: env() });
    const live = JSON.parse(
      (await runCliAsync(['audit', '--format', 'json', ...TARGETS], { env: env() })).stdout,
    ) as Report;
    const replay = JSON.parse(
      (await runCliAsync(['audit', '--format', 'json', '--snapshot', snapshotFile], { env: {} })).stdout,
    ) as Report;
    const imageFindings = (r: Report) =>
      r.findings
        .filter((f) => ['no-failed-signing', 'no-stuck-signing', 'images-signed'].includes(f.policyId))
        .map((f) => `${f.policyId} ${f.repositoryName} ${f.fingerprint}`);
    expect(
      imageFindings(live)
        .map((f) => f.split(' ').slice(0, 2).join(' '))
        .sort(),
    ).toEqual([
      'images-signed platform/tools',
      'images-signed team/web-prod',
      'no-failed-signing platform/tools',
      'no-stuck-signing team/web-prod',
    ]);
    expect(imageFindings(replay)).toEqual(imageFindings(live));
    expect(live.findings.find((f) => f.policyId === 'no-failed-signing')?.message).toContain(
      'FAILED: "SigningProfileRevoked"',
    );
    expect(replay.summary.imagesSampled).toBe(live.summary.imagesSampled);
    expect(live.summary.imagesSampled).toBe(6);
  });
});
